#include "core/language.h"

#include <algorithm>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

namespace CLD2 {
// Declared in CLD2's internal lang_script.h, which pulls in headers Debian does not
// ship in a usable place; the function is exported by libcld2.
const char* LanguageCode(Language lang);
}  // namespace CLD2

namespace gazette::core {

DetectedLanguage detect_language(std::string_view text) {
  // The first 16 KB decide as well as the whole text would, at a bounded cost.
  constexpr std::size_t kMaxBytes = 16 * 1024;
  std::size_t length = std::min(text.size(), kMaxBytes);
  while (length > 0 && length < text.size() && (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80) --length;
  CLD2::Language languages[3];
  int percents[3] = {0, 0, 0};
  double scores[3] = {0, 0, 0};
  int text_bytes = 0;
  bool reliable = false;
  int valid_prefix = 0;
  const CLD2::Language language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), static_cast<int>(length), /*is_plain_text=*/true, /*cld_hints=*/nullptr, /*flags=*/0,
      languages, percents, scores, /*resultchunkvector=*/nullptr, &text_bytes, &reliable,
      &valid_prefix);
  if (!reliable || language == CLD2::UNKNOWN_LANGUAGE) return {};
  std::string code = CLD2::LanguageCode(language);
  if (const auto dash = code.find('-'); dash != std::string::npos) code.resize(dash);  // zh-Hant -> zh
  if (code == "un" || code.size() > 3) return {};
  return {code, percents[0]};
}

}  // namespace gazette::core
