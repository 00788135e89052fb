// SMART-format documents, as test collections ship them (Cranfield's cran.all.1400):
// records start with ".I ID"; ".T" title, ".A" authors, ".B" bibliographic source and
// ".W" text follow, each until the next field line.
#include <nlohmann/json.hpp>

#include "core/analysis.h"
#include "core/strings.h"
#include "indexer/readers/readers.h"

namespace gazette::indexer {

using core::fold_space;

void read_smart(std::istream& input, const std::string& file_name, const ReadOptions& options,
                const std::function<void(ReadItem&&)>& sink) {
  struct Record {
    std::size_t line = 0;
    std::uint64_t bytes = 0;
    std::string id, title, authors, source, text;
  };
  std::optional<Record> record;
  std::string* field = nullptr;
  auto emit = [&] {
    if (!record) return;
    Article article;
    article.id = record->id;
    article.title = fold_space(record->title);
    article.body = fold_space(record->text);
    for (std::string names = fold_space(record->authors); !names.empty();) {
      const std::size_t end = std::min(names.find(" and "), names.size());
      article.authors.push_back(names.substr(0, end));
      names = end < names.size() ? names.substr(end + 5) : std::string();
    }
    if (const std::string source = fold_space(record->source); !source.empty()) {
      article.extra.emplace_back("bibliography", nlohmann::json(source).dump());
    }
    apply_defaults(article, options);
    sink(ReadItem{std::move(article), record->bytes});
  };
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(input, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::uint64_t bytes = line.size() + 1;
    if (line.starts_with(".I")) {
      emit();
      record.emplace();
      record->line = line_number;
      record->bytes = bytes;
      record->id = fold_space(line.substr(2));
      field = nullptr;
      if (record->id.empty()) {
        sink(ReadItem{InputError(file_name, line_number, "'.I' without a document id"), bytes});
        record.reset();
      }
      continue;
    }
    if (!record) {
      if (!fold_space(line).empty()) {
        sink(ReadItem{InputError(file_name, line_number, "text before the first '.I' record"), bytes});
      }
      continue;
    }
    record->bytes += bytes;
    if (line.size() == 2 && line[0] == '.') {
      switch (line[1]) {
        case 'T': field = &record->title; break;
        case 'A': field = &record->authors; break;
        case 'B': field = &record->source; break;
        case 'W': field = &record->text; break;
        default: field = nullptr; break;  // Fields Gazette has no use for (.X links, ...).
      }
      continue;
    }
    if (!core::is_valid_utf8(line)) {
      sink(ReadItem{InputError(file_name, line_number, "invalid UTF-8"), bytes});
      record.reset();
      continue;
    }
    if (field) *field += line + "\n";
  }
  emit();
}

}  // namespace gazette::indexer
