// Reads inputs through gazette::read_articles and collects what came out, for tests.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "gazette/reader.h"

namespace gazette::testing {

struct Collected {
  std::vector<Article> articles;
  std::vector<InputError> errors;
  std::vector<InputError> warnings;  // Of articles still read.
  std::uint64_t bytes = 0;
};

inline Collected read_all(const std::vector<std::string>& inputs, const ReadOptions& options = {}) {
  Collected out;
  read_articles(inputs, options, [&](ReadItem&& item) {
    out.bytes += item.bytes;
    for (InputError& warning : item.warnings) out.warnings.push_back(std::move(warning));
    if (auto* article = std::get_if<Article>(&item.result)) {
      out.articles.push_back(std::move(*article));
    } else {
      out.errors.push_back(std::get<InputError>(item.result));
    }
  });
  return out;
}

}  // namespace gazette::testing
