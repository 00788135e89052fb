// Reading articles from files: JSON Lines, plain-text files, directories of them, stdin.
// Bad records do not stop reading: each is reported as an InputError naming file and line.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gazette/article.h"
#include "gazette/errors.h"

namespace gazette {

enum class InputFormat {
  kAuto,   // By extension: .jsonl/.ndjson/.json are JSON Lines, anything else is text.
  kJsonl,  // One JSON object per line (docs/formats.md).
  kText,   // Title on the first non-empty line, body below.
};

struct ReadOptions {
  InputFormat format = InputFormat::kAuto;  // stdin ("-") is JSON Lines under kAuto.
  // Facet values for articles that carry none (text files have neither).
  std::string default_outlet;
  std::optional<UnixSeconds> default_date;
  std::string default_lang;
};

// One record read: an article, or why the record was skipped.
struct ReadItem {
  std::variant<Article, InputError> result;
  std::uint64_t bytes = 0;  // Input bytes this record consumed, for progress reports.
};

// Reads every article from `inputs` (files, directories searched recursively for
// .txt/.text/.jsonl/.ndjson files, or "-" for stdin) in order, calling `sink` once per
// record. Throws InputError only when an input cannot be opened at all.
void read_articles(const std::vector<std::string>& inputs, const ReadOptions& options,
                   const std::function<void(ReadItem&&)>& sink);

// Total bytes `read_articles` will read, or nullopt when unknown (stdin).
std::optional<std::uint64_t> input_size(const std::vector<std::string>& inputs);

}  // namespace gazette
