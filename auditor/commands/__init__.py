"""One module a command: each adds its argparse parser and runs it; `auditor.cli` dispatches."""
