// Plain-text article reader: rejects binary and non-UTF-8 files, then cleans the
// scraped text (title, outlet, date, body, comments) or, with cleaning off, takes the
// first non-empty line as the title and the rest as the body.
#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/analysis.h"
#include "core/strings.h"
#include "indexer/clean/scraped_text.h"
#include "indexer/readers/readers.h"

namespace gazette::indexer {
namespace {

std::size_t line_of_offset(std::string_view content, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(content.begin(), content.begin() + offset, '\n'));
}

using core::trim;

}  // namespace

std::string stable_hash(std::string_view text) { return core::hex64(core::fnv1a(text)); }

std::string source_field(const std::string& relative_path) {
  return nlohmann::json(relative_path).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Article parse_text_article(std::string_view content, const std::string& file_name,
                           const std::string& relative_path, const ReadOptions& options,
                           std::optional<UnixSeconds> file_time) {
  if (const auto nul = content.find('\0'); nul != std::string_view::npos) {
    throw InputError(file_name, 0, "binary file (NUL byte at offset " + std::to_string(nul) + "), skipped");
  }
  std::size_t bad_byte = 0;
  if (!core::is_valid_utf8(content, &bad_byte)) {
    throw InputError(file_name, line_of_offset(content, bad_byte),
                     "invalid UTF-8 at byte offset " + std::to_string(bad_byte));
  }
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);  // Byte-order mark.

  const std::string_view text = trim(content);
  if (text.empty()) throw InputError(file_name, 0, "file holds no text");
  Article article;
  article.id = "txt-" + stable_hash(relative_path);
  if (options.clean) {
    clean::CleanedText cleaned = clean::clean_scraped_text(text);
    article.title = std::move(cleaned.title);
    article.body = std::move(cleaned.body);
    article.comments = std::move(cleaned.comments);
    article.outlet = std::move(cleaned.outlet);
    article.authors = std::move(cleaned.authors);
    article.date = cleaned.date;
    article.date_offset = cleaned.date_offset;
    article.date_source = std::move(cleaned.date_source);
    article.provenance = std::move(cleaned.provenance);
  } else {
    const auto title_end = text.find('\n');
    article.title = std::string(trim(text.substr(0, title_end)));
    if (title_end != std::string_view::npos) article.body = std::string(trim(text.substr(title_end)));
  }
  article.extra.emplace_back("source", source_field(relative_path));
  apply_defaults(article, options, options.clean);
  if (options.clean) date_from_file(article, options, file_time);
  return article;
}

}  // namespace gazette::indexer
