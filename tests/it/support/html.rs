//! Reading pages the way a person or an assistive technology would.

use scraper::Selector;

pub struct Html(scraper::Html);

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e:?}"))
}

impl Html {
    pub fn parse(body: &str) -> Html {
        Html(scraper::Html::parse_document(body))
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf_token(&self) -> Option<String> {
        self.attr("input[name=csrf_token]", "value")
    }

    /// The value of `attr` on the first element matching `selector`.
    pub fn attr(&self, selector: &str, attr: &str) -> Option<String> {
        self.0.select(&sel(selector)).next().and_then(|e| e.value().attr(attr)).map(str::to_owned)
    }

    /// The text of the first element matching `selector`, white space collapsed.
    pub fn text(&self, selector: &str) -> Option<String> {
        self.0
            .select(&sel(selector))
            .next()
            .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The texts of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        self.0
            .select(&sel(selector))
            .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    /// The text of every element matching `selector` as a reader sees it: its pieces
    /// joined as they stand (inline markup such as `<mark>` adds no space).
    pub fn inline_texts(&self, selector: &str) -> Vec<String> {
        self.0
            .select(&sel(selector))
            .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    /// The value of `attr` on every element matching `selector` that has it.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        self.0.select(&sel(selector)).filter_map(|e| e.value().attr(attr)).map(str::to_owned).collect()
    }

    pub fn count(&self, selector: &str) -> usize {
        self.0.select(&sel(selector)).count()
    }
}
