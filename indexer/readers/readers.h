// The "read" stage: one parser per input format. Each turns raw bytes into Articles and
// reports a bad record as an InputError naming file and line, never stopping the read.
#pragma once

#include <istream>
#include <string>
#include <string_view>

#include "gazette/reader.h"

namespace gazette::indexer {

// JSON Lines (docs/formats.md): one article object per line; blank lines are skipped.
void read_jsonl(std::istream& input, const std::string& file_name, const ReadOptions& options,
                const std::function<void(ReadItem&&)>& sink);

// Parses one plain-text article: title = first non-empty line, body = the rest,
// id = "txt-" + stable hash of `relative_path`. Throws InputError for binary content,
// invalid UTF-8 or a file with no text.
Article parse_text_article(std::string_view content, const std::string& file_name,
                           const std::string& relative_path, const ReadOptions& options);

// Fills the facets an article lacks from the reader options.
void apply_defaults(Article& article, const ReadOptions& options);

// 64-bit FNV-1a, stable across runs and platforms, as 16 hex digits.
std::string stable_hash(std::string_view text);

}  // namespace gazette::indexer
