//! Reading Baseten's docs site: a page's embedded ```yaml document, and an index's links.

/// The first fenced block (three or more backticks or tildes) whose info string starts with
/// `yaml`, as Baseten's API reference pages embed their endpoint's document.
pub fn yaml_block(page: &str) -> Option<String> {
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let Some(fence_char) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') else { continue };
        let fence_len = trimmed.chars().take_while(|c| *c == fence_char).count();
        if fence_len < 3 || !trimmed[fence_len..].trim_start().starts_with("yaml") {
            continue;
        }
        let mut block = String::new();
        for line in lines.by_ref() {
            let t = line.trim_start();
            if t.chars().take_while(|c| *c == fence_char).count() >= fence_len
                && t.trim_end_matches(fence_char).is_empty()
            {
                return Some(block);
            }
            block.push_str(line);
            block.push('\n');
        }
        return None;
    }
    None
}

/// The targets of the Markdown links (`[text](target)`) in `index`, resolved against `base`
/// (the index's URL or path), kept where their path contains `rule`, without repeats.
pub fn index_links(index: &str, base: &str, rule: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = index;
    while let Some(start) = rest.find("](") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = rest[..end].split_whitespace().next().unwrap_or("");
        rest = &rest[end..];
        let Some(resolved) = resolve(base, target) else { continue };
        if path_of(&resolved).contains(rule) && !out.contains(&resolved) {
            out.push(resolved);
        }
    }
    out
}

fn resolve(base: &str, target: &str) -> Option<String> {
    if target.is_empty() || target.starts_with('#') {
        return None;
    }
    if super::fetch::is_url(base) || super::fetch::is_url(target) {
        let base = url::Url::parse(base).ok()?;
        let joined = base.join(target).ok()?;
        return matches!(joined.scheme(), "http" | "https").then(|| joined.to_string());
    }
    let dir = std::path::Path::new(base).parent()?;
    Some(dir.join(target).display().to_string())
}

fn path_of(link: &str) -> String {
    url::Url::parse(link).map_or_else(|_| link.to_owned(), |u| u.path().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_yaml_fence_of_a_docs_page() {
        let page = "# Title\n\n```bash\necho\n```\n\n````yaml delete /v1/x\nopenapi: 3.1.0\n```\nnot the end\n````\nafter\n";
        assert_eq!(yaml_block(page).as_deref(), Some("openapi: 3.1.0\n```\nnot the end\n"));
        assert_eq!(yaml_block("no fence here\n"), None);
        assert_eq!(yaml_block("```yaml\nunterminated\n"), None);
    }

    #[test]
    fn selects_api_pages_from_an_index_and_resolves_relative_links() {
        let index = "# Docs\n- [Delete](https://docs.example/reference/management-api/models/delete.md): d\n\
                     - [Guide](https://docs.example/guides/start.md)\n- [Rel](/reference/management-api/x.md)\n\
                     - [Again](https://docs.example/reference/management-api/models/delete.md)\n";
        assert_eq!(
            index_links(index, "https://docs.example/llms.txt", "/reference/management-api/"),
            [
                "https://docs.example/reference/management-api/models/delete.md",
                "https://docs.example/reference/management-api/x.md"
            ]
        );
    }
}
