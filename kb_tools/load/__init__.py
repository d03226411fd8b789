"""Stage 1, load: content files into records, once per build.

``files`` says what every file under content/ is and reads it safely, ``documents`` turns
text into frontmatter and body with real line numbers, ``yamlsafe`` parses YAML without
surprises, ``registry`` loads the vocabularies, networks and sources.
"""
