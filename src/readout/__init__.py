"""readout: who met whom, when, where, with whom, from state-media and government readouts."""

__version__ = "0.1.0"
