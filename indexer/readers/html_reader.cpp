// HTML page reader: decodes the page to UTF-8, rejects binary files, and maps the
// cleaned page (indexer/clean/html_page.h) onto an Article.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "indexer/clean/html_page.h"
#include "indexer/readers/readers.h"

namespace gazette::indexer {

void fill_from_page(Article& article, clean::CleanedPage&& page) {
  auto fill = [&](std::string& field, std::string&& value, const char* name) {
    if (!field.empty()) {
      std::erase_if(page.provenance, [&](const auto& entry) { return entry.first == name; });
      return;
    }
    field = std::move(value);
  };
  fill(article.url, std::move(page.url), "url");
  fill(article.title, std::move(page.title), "title");
  fill(article.body, std::move(page.body), "body");
  fill(article.comments, std::move(page.comments), "comments");
  fill(article.outlet, std::move(page.outlet), "outlet");
  fill(article.lang, std::move(page.lang), "lang");
  if (article.authors.empty()) {
    article.authors = std::move(page.authors);
  } else {
    std::erase_if(page.provenance, [](const auto& entry) { return entry.first == "authors"; });
  }
  if (!article.date) {
    article.date = page.date;
    article.date_offset = page.date_offset;
    article.date_source = std::move(page.date_source);
  } else {
    std::erase_if(page.provenance, [](const auto& entry) { return entry.first == "date"; });
  }
  if (page.modified && std::none_of(article.extra.begin(), article.extra.end(),
                                    [](const auto& field) { return field.first == "date_modified"; })) {
    article.extra.emplace_back("date_modified",
                               nlohmann::json(format_timestamp(*page.modified, page.modified_offset)).dump());
  }
  for (auto& entry : page.provenance) article.provenance.push_back(std::move(entry));
}

Article parse_html_article(std::string_view content, const std::string& file_name,
                           const std::string& relative_path, const ReadOptions& options,
                           std::optional<UnixSeconds> file_time) {
  if (const auto nul = content.find('\0'); nul != std::string_view::npos) {
    throw InputError(file_name, 0, "binary file (NUL byte at offset " + std::to_string(nul) + "), skipped");
  }
  clean::CleanedPage page = clean::clean_html_page(clean::html_to_utf8(content));
  if (page.title.empty() && page.body.empty()) {
    for (const auto& [field, how] : page.provenance) {
      if (field == "structure") throw InputError(file_name, 0, "page holds no text: its " + how);
    }
    throw InputError(file_name, 0, "page holds no text");
  }
  Article article;
  article.id = "html-" + stable_hash(page.url.empty() ? relative_path : page.url);
  fill_from_page(article, std::move(page));
  article.extra.emplace_back("source", source_field(relative_path));
  apply_defaults(article, options, /*record=*/true);
  date_from_file(article, options, file_time);
  return article;
}

}  // namespace gazette::indexer
