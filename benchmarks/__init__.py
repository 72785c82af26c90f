"""`make bench` parts (benchmarks/run.py loads each as ``benchmarks.<name>``)."""
