"""Privacy-preserving record linkage: linkage keys made at the source (clkhash Bloom filters)
and matched across entities (anonlink). See docs/linkage.md and ADR 0008."""
