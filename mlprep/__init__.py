"""mlprep: the core of a local study dashboard for ML interviews beyond the math.

Importable and testable without Streamlit: bank (schema, load, validate),
store (SQLite progress), schedule (FSRS), readiness (scores, weak areas),
exports, and the command line (``python -m mlprep``).
"""

__version__ = "0.1.0"
