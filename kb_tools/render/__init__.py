"""Stage 4, render: page specifications, template data and open-data files.

Nothing here knows MkDocs: ``pages`` describes each page (source path, title,
template, Markdown, template data), ``opendata`` writes JSON, CSV, the feed and
redirect pages into a built site folder. The MkDocs plugin only hands these over.
"""
