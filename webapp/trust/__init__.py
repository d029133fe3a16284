"""Trust: the audit viewer, backups, and a child's data rights (export and erasure)."""
