"""The demo's signing key: made at random on its first start and kept in the instance folder,
so no key is written in the code (a published one would sign anyone's session on a demo left
running) and the demo's sessions survive a restart."""
import os
import secrets

KEY_FILE = "secret_key"


def instance_secret_key(folder):
    """The key kept in `folder`/secret_key (mode 0600), made on the first call. Two processes
    starting at once agree: the file appears whole or not at all, and the first one wins."""
    path = os.path.join(folder, KEY_FILE)
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        draft = f"{path}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
        try:
            os.link(draft, path)  # refuses to replace a key another process just made
        except FileExistsError:
            pass
        finally:
            os.remove(draft)
    with open(path, encoding="ascii") as key_file:
        key = key_file.read().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it and start again to make a new key")
    return key
