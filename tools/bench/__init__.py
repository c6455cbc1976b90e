"""Benchmarks: `make bench`. Each figure is a ratio to raw `anki` calls doing the same
work in the same run (or to a peer run beside it), because these machines are shared
and bare times are noise."""
