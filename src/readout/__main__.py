"""`python -m readout` is the `readout` command."""
from readout.cli import main

main()
