// JSON Lines reader: validates UTF-8, parses each line with nlohmann::json and maps it
// through core/article_json, turning every failure into a file:line InputError.
#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "core/analysis.h"
#include "core/article_json.h"
#include "indexer/clean/html_page.h"
#include "indexer/clean/publication_date.h"
#include "indexer/readers/readers.h"

namespace gazette::indexer {
namespace {

// nlohmann's messages start with "[json.exception.parse_error.101] "; users need the rest.
std::string strip_exception_tag(std::string message) {
  if (!message.empty() && message.front() == '[') {
    if (const auto close = message.find("] "); close != std::string::npos) message.erase(0, close + 2);
  }
  return message;
}

}  // namespace

void apply_defaults(Article& article, const ReadOptions& options, bool record) {
  if (article.outlet.empty() && !options.default_outlet.empty()) {
    article.outlet = options.default_outlet;
    if (record) article.provenance.emplace_back("outlet", "--outlet option");
  }
  if (!article.date && options.default_date) {
    article.date = options.default_date;
    article.date_offset = options.default_date_offset;
    article.date_source = "option";
    if (record) article.provenance.emplace_back("date", "--date option");
  }
  if (article.lang.empty() && !options.default_lang.empty()) {
    article.lang = options.default_lang;
    if (record) article.provenance.emplace_back("lang", "--lang option");
  }
}

void date_from_file(Article& article, const ReadOptions& options, std::optional<UnixSeconds> file_time) {
  if (article.date || !options.date_from_file_time || !file_time) return;
  article.date = file_time;
  article.date_source = "file-time";
  article.provenance.emplace_back("date", "file modification time, as --date-from-file-time asks (no date in the content)");
}

void date_from_url(Article& article) {
  if (const auto day = clean::date_in_url(article.url)) {
    article.date = day;
    article.date_source = "url";
    article.provenance.emplace_back("date", "the day in the record's url \"" + article.url + "\"");
  }
}

void read_jsonl(std::istream& input, const std::string& file_name, const ReadOptions& options,
                const std::function<void(ReadItem&&)>& sink) {
  std::string line;
  std::size_t line_number = 0;
  Line read;
  // The cap applies while reading: a line over it is skipped unread beyond the cap.
  while (read_line(input, line, options.max_article_bytes, read)) {
    ++line_number;
    const std::uint64_t bytes = read.bytes;
    auto report = [&](std::string message) {
      sink(ReadItem{InputError(file_name, line_number, std::move(message)), bytes});
    };
    if (read.cut) {
      report("record of " + std::to_string(read.bytes - 1) + " bytes is over the size cap of " +
             std::to_string(options.max_article_bytes) + " bytes (--max-file-size), skipped");
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string::npos) continue;

    std::size_t bad_byte = 0;
    if (!core::is_valid_utf8(line, &bad_byte)) {
      report("invalid UTF-8 at byte " + std::to_string(bad_byte + 1) + " of the line");
      continue;
    }
    if (core::json_deeper_than(line)) {
      report("arrays or objects nested more than " + std::to_string(core::kMaxJsonDepth) + " deep, skipped");
      continue;
    }
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& error) {
      report("malformed JSON: " + strip_exception_tag(error.what()));
      continue;
    }
    try {
      core::RecordDates dates{options.date_format, {}};
      Article article = core::article_from_json(object, &dates);
      // A record carrying the raw page: extract what its fields leave out.
      if (const auto html = std::find_if(article.extra.begin(), article.extra.end(),
                                         [](const auto& field) { return field.first == "html"; });
          html != article.extra.end()) {
        const auto& value = object["html"];
        if (!value.is_string()) throw std::invalid_argument("field 'html' must be a string");
        std::string page = value.get<std::string>();
        article.extra.erase(html);
        fill_from_page(article, clean::clean_html_page(page));
      }
      if (!article.date) date_from_url(article);
      apply_defaults(article, options);
      ReadItem item{std::move(article), bytes, {}};
      if (!dates.problem.empty()) item.warnings.emplace_back(file_name, line_number, std::move(dates.problem));
      sink(std::move(item));
    } catch (const std::invalid_argument& error) {
      report(error.what());
    }
  }
  if (input.bad()) throw InputError(file_name, line_number, "read error");
}

}  // namespace gazette::indexer
