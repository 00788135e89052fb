// Language detection for articles that do not declare their language, with CLD2
// (Google's Compact Language Detector 2, from Debian): n-gram scoring over the text,
// 83 languages, microseconds per article.
#pragma once

#include <string>
#include <string_view>

namespace gazette::core {

struct DetectedLanguage {
  std::string code;  // ISO 639-1 ("en", "fr"); empty when not reliably detected.
  int percent = 0;   // Share of the text in that language.
};

// Detects the language of `text` (UTF-8). Short or mixed text that CLD2 does not
// call reliable gives an empty code: such articles keep the default analysis.
DetectedLanguage detect_language(std::string_view text);

}  // namespace gazette::core
