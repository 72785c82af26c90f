"""Training and validating the model: `tradeties classifier train` and `tradeties classifier evaluate`.

Needs scikit-learn (training only); the service never imports this package.
"""
