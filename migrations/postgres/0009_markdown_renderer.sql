-- Which version of the Markdown renderer made the stored HTML (description_html,
-- minutes_html). When the renderer changes (version 2: headings start at h2, below the
-- page's own title), the server renders what is stored again once at start.
CREATE TABLE markdown_renderer (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO markdown_renderer (id, version) VALUES (1, 1);
