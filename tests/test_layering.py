"""The house stays layered: webapp's modules import each other in one direction only, and the demo
and the synthetic county live in their own package, not among webapp's top-level modules.

Imports are read from the source (ast), not by importing: module-level imports may form no
cycle; an import inside a function may close one only with a comment saying why (on its line or
the line above), as a blueprint's views imported by its init_app."""
import ast
import io
import pathlib
import tokenize

WEBAPP = pathlib.Path(__file__).resolve().parent.parent / "webapp"


def modules(root=WEBAPP):
    """Dotted name -> (path, is_package) for every module under webapp/."""
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _targets(name, is_package, node, known):
    """The webapp modules an import statement names (a submodule when `from pkg import sub`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in known]
    if node.level:
        package = (name if is_package else name.rpartition(".")[0]).split(".")
        base = package[:len(package) - node.level + 1] + ([node.module] if node.module else [])
        source = ".".join(base)
    else:
        source = node.module or ""
    targets = []
    for alias in node.names:
        submodule = f"{source}.{alias.name}"
        targets.append(submodule if submodule in known else source)
    return [target for target in targets if target in known and target != name]


def _comment_lines(text):
    return {token.start[0] for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type == tokenize.COMMENT}


def import_graph(root=WEBAPP):
    """(module-level edges, [(module, target, path, line, commented)] of imports inside functions)."""
    known = modules(root)
    edges, inner = {}, []
    for name, (path, is_package) in known.items():
        text = path.read_text(encoding="utf-8")
        comments = _comment_lines(text)
        edges[name] = set()

        def walk(node, in_function, name=name, path=path, is_package=is_package, comments=comments):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    for target in _targets(name, is_package, child, known):
                        if in_function:
                            lines = set(range(child.lineno - 1, (child.end_lineno or child.lineno) + 1))
                            inner.append((name, target, path, child.lineno, bool(lines & comments)))
                        else:
                            edges[name].add(target)
                walk(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

        walk(ast.parse(text, filename=str(path)), False)
    return edges, inner


def _path(edges, start, goal):
    """A chain of module-level imports from start to goal, or None."""
    came_from, todo = {start: None}, [start]
    while todo:
        here = todo.pop()
        if here == goal:
            chain = [here]
            while came_from[chain[-1]] is not None:
                chain.append(came_from[chain[-1]])
            return chain[::-1]
        for there in sorted(edges.get(here, ())):
            if there not in came_from:
                came_from[there] = here
                todo.append(there)
    return None


def cycles(edges):
    """Each module-level import that closes a loop, with the loop."""
    return [[name, *_path(edges, target, name)] for name in sorted(edges) for target in sorted(edges[name])
            if _path(edges, target, name)]


def uncommented_cycle_breakers(edges, inner):
    return [f"{path.relative_to(WEBAPP.parent)}:{line} {name} -> {target}"
            for name, target, path, line, commented in inner
            if not commented and _path(edges, target, name)]


def crowded_top_level(root=WEBAPP):
    return sorted(path.name for path in root.glob("*.py")
                  if path.name.startswith(("demo_", "gencounty")))


def test_webapp_modules_import_each_other_in_one_direction_only():
    edges, _inner = import_graph()
    assert "webapp.chronology" in edges and "webapp.visits.overview" in edges  # the graph was read
    assert cycles(edges) == []


def test_an_import_inside_a_function_that_closes_a_loop_says_why():
    edges, inner = import_graph()
    assert uncommented_cycle_breakers(edges, inner) == []


def test_the_demo_and_the_synthetic_county_live_in_webapp_demo():
    assert crowded_top_level() == []
    demo = WEBAPP / "demo"
    assert (demo / "__init__.py").exists() and (demo / "county.py").exists() and (demo / "gencounty.py").exists()
