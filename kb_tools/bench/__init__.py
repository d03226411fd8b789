"""``kb meten``: the benchmark (``run``, ``measure``, ``search``, ``metrics``), its synthetic
corpus (``synthetic``), the byte-counting static server (``static``) and the hostile shapes
(``attacks``) that the tests and the benchmark share.
"""
