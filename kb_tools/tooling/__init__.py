"""Tools around the pipeline, not stages of it: the GitHub intake and issue form,
CODEOWNERS, network sources and the external link check. They call the stages;
no stage imports them.
"""
