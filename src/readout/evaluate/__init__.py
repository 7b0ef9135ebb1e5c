"""evaluate: score extraction records against gold annotations (DESIGN.md's gold format)."""
from readout.evaluate.scorer import FieldScore, evaluate_dir, load_gold

__all__ = ["FieldScore", "evaluate_dir", "load_gold"]
