"""Training the line model from labelled data (needs the ``train`` extra: scikit-learn).

``benchmarks`` reads the shared benchmark pages and extracts their lines (cached),
``labels`` aligns extracted lines with the gold text, ``fit`` trains and exports the
model as plain JSON, ``evaluate`` measures junk precision/recall and content loss.
"""
