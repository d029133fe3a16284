"""Administration: the county's organisation, schools' classes, children and accounts."""
