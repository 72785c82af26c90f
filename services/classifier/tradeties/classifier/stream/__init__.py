"""The classifier's streaming runtime: a faust app around the one classification function.

``app`` (the faust app from Settings), ``agents`` (classify, alerts, deliver), ``messages`` (one
message: decode, classify, dead letter; no faust), ``topology`` (its topics), ``worker`` and
``cli`` (the command), ``faust_compat`` (the only module touching faust/aiokafka internals).
"""
