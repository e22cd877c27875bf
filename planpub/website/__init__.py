"""The public website: Markdown pages generated from the content model, built by MkDocs + Material.

``render.render_website`` is the build stage. Each module has one job:

- ``paths``: where every page lives and the relative link from one page to another;
- ``catalog``: cross references of the content (who leads what, deadlines as dates);
- ``words``: Vietnamese wording of dates, deadlines, document labels;
- ``pages``: the Markdown pages, from the Jinja2 templates in ``templates/website/pages``;
- ``explorer``: the facets of the commitments explorer and their pre-rendered lists;
- ``charts``: SVG charts of targets, made at build time;
- ``feeds``: the Atom feed of documents;
- ``calendars``: iCalendar files of deadlines, per plan and per agency;
- ``searchfold``: folding of Vietnamese text (đ → d, tone marks off) for the search index;
- ``mkdocs_build``: run MkDocs into a temporary folder and merge the result into the site.
"""
