"""Static site generator for a browsable archive of research-paper abstracts.

The flow runs one way (see ``docs/maintainers/architecture.md``)::

    dumps -> clean -> importer -> archive/*.yml -> records (strict load, validate)
          -> render (Markdown pages) / search (lunr index) -> mkdocs build -> site/
"""

__version__ = "0.1.0"
