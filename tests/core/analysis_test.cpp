// Tests for core/analysis: segmentation, normalisation, folding, stemming, UTF-8 checks.
#include "core/analysis.h"
#include "core/language.h"

#include <gtest/gtest.h>

namespace gazette::core {
namespace {

std::vector<std::string> terms(std::string_view text) {
  Tokenizer tokenizer;
  std::vector<std::string> out;
  for (const Token& token : tokenizer.tokens(text)) out.push_back(token.term);
  return out;
}

using Terms = std::vector<std::string>;

TEST(Analysis, CaseFoldsAndSplitsOnSpaceAndPunctuation) {
  EXPECT_EQ(terms("Oil PRICES rose, traders said."), (Terms{"oil", "prices", "rose", "traders", "said"}));
}

TEST(Analysis, FoldsDiacriticsSoSpellingsMeet) {
  EXPECT_EQ(terms("Déraa"), terms("deraa"));
  EXPECT_EQ(terms("DERAA"), terms("deraa"));
  EXPECT_EQ(terms("Đeraa"), terms("deraa"));  // Stroke letters do not decompose; mapped.
  EXPECT_EQ(terms("Łódź São Paulo Ørsted"), (Terms{"lodz", "sao", "paulo", "orsted"}));
  EXPECT_EQ(terms("straße"), Terms{"strasse"});
  EXPECT_EQ(terms("Αθήνα"), Terms{"αθηνα"});  // Greek tonos dropped, final sigma folded below.
  EXPECT_EQ(terms("ΟΔΟΣ"), terms("οδος"));
}

TEST(Analysis, KeepsMarksOutsideLatinAndGreek) {
  // Cyrillic й is a letter of its own, not и with an accent.
  EXPECT_EQ(terms("Йошкар"), Terms{"йошкар"});
}

TEST(Analysis, AppliesNfkc) {
  EXPECT_EQ(terms("ﬁnance"), Terms{"finance"});   // Ligature.
  EXPECT_EQ(terms("ＡＢＣ１２"), Terms{"abc12"});  // Full-width forms.
}

TEST(Analysis, AcronymsLoseTheirDots) {
  EXPECT_EQ(terms("the U.S. economy"), (Terms{"the", "us", "economy"}));
  EXPECT_EQ(terms("U.S."), terms("US"));
}

TEST(Analysis, HyphenatedNamesAreConsecutiveWords) {
  Tokenizer tokenizer;
  const auto tokens = tokenizer.tokens("Bashar al-Assad");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[1].term, "al");
  EXPECT_EQ(tokens[2].term, "assad");
}

TEST(Analysis, ContractionsStayOneWordWithEitherApostrophe) {
  EXPECT_EQ(terms("don't"), Terms{"don't"});
  EXPECT_EQ(terms("don’t"), Terms{"don't"});
}

TEST(Analysis, NumbersStayWhole) {
  EXPECT_EQ(terms("1,200 bags"), (Terms{"1200", "bags"}));
  EXPECT_EQ(terms("1200"), Terms{"1200"});
  EXPECT_EQ(terms("rose 2.5% to 5.93 mln"), (Terms{"rose", "2.5", "to", "5.93", "mln"}));
  EXPECT_EQ(terms("1,5"), Terms{"1,5"});  // Not a thousands separator.
}

TEST(Analysis, SegmentsScriptsWithoutSpaces) {
  const Terms thai = terms("ภาษาไทยง่ายนิดเดียว");
  EXPECT_GT(thai.size(), 2u);
  const Terms japanese = terms("東京都に住んでいます");
  EXPECT_GT(japanese.size(), 2u);
}

TEST(Analysis, OffsetsPointIntoTheSource) {
  Tokenizer tokenizer;
  const std::string text = "Café  society";
  const auto tokens = tokenizer.tokens(text);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin), "Café");
  EXPECT_EQ(text.substr(tokens[1].begin, tokens[1].end - tokens[1].begin), "society");
}

TEST(Analysis, InvalidUtf8DoesNotCrashAndKeepsGoodWords) {
  const Terms out = terms("good \xff\xfe bad");
  EXPECT_EQ(out.front(), "good");
  EXPECT_EQ(out.back(), "bad");
}

TEST(Analysis, DropsOverlongTerms) {
  EXPECT_EQ(terms(std::string(100, 'a') + " ok"), Terms{"ok"});
}

TEST(Analysis, NormalizeValueCollapsesSpaceAndFolds) {
  EXPECT_EQ(normalize_value("  Los Angeles\tTimes "), "los angeles times");
  EXPECT_EQ(normalize_value("Le Monde Diplomatique"), normalize_value("le monde diplomatique"));
  EXPECT_EQ(normalize_value("Ελληνική"), "ελληνικη");
}

TEST(Stemming, EnglishByDefault) {
  const Stemmer stemmer("");
  EXPECT_TRUE(stemmer.stems());
  EXPECT_EQ(stemmer("prices"), stemmer("price"));
  EXPECT_EQ(stemmer("running"), "run");
}

TEST(Stemming, ByLanguageCode) {
  EXPECT_EQ(Stemmer("fr")("maisons"), Stemmer("fr")("maison"));
  EXPECT_EQ(Stemmer("de-DE").language(), "german");
  EXPECT_EQ(Stemmer("spanish").language(), "spanish");
}

TEST(Stemming, OlderEnglishStemmersForComparisonNeverGiveAnEmptyTerm) {
  EXPECT_EQ(Stemmer("porter").language(), "porter");
  EXPECT_EQ(Stemmer("lovins")("connections"), Stemmer("lovins")("connected"));
  EXPECT_EQ(Stemmer("porter")("s"), "s");  // Xapian's Porter stemmer strips it to "".
  EXPECT_FALSE(Stemmer("none").stems());
}

TEST(Stemming, GreekAndUnknownLanguagesAreNotStemmed) {
  const Stemmer greek("el");
  EXPECT_FALSE(greek.stems());
  EXPECT_EQ(greek("αθηνας"), "αθηνας");
  EXPECT_FALSE(Stemmer("xx").stems());
}

TEST(Utf8, AcceptsValidAndFindsFirstBadByte) {
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("Déraa Αθήνα 東京 😀"));
  std::size_t offset = 0;
  EXPECT_FALSE(is_valid_utf8("abc\xC3(", &offset));
  EXPECT_EQ(offset, 3u);
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // Overlong.
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // Surrogate.
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // Truncated.
}

}  // namespace
}  // namespace gazette::core

namespace gazette::core {
namespace {

TEST(Language, DetectsTheLanguageOfArticleText) {
  EXPECT_EQ(detect_language("The harbour authority voted on Wednesday to run a six-month trial of a night "
                            "ferry between the old quay and the island terminal.").code, "en");
  EXPECT_EQ(detect_language("Ferm\xC3\xA9 depuis l'incendie de mars, le caf\xC3\xA9 du port a rouvert vendredi, "
                            "avec une nouvelle terrasse et les m\xC3\xAAmes habitu\xC3\xA9s au comptoir.").code, "fr");
  EXPECT_EQ(detect_language("Die Bewohner des Dorfes haben am Freitagabend mit gro\xC3\x9F" "er Mehrheit beschlossen, "
                            "die Gemeindeabgabe zu erh\xC3\xB6hen, damit die Schule offen bleiben kann.").code, "de");
  EXPECT_EQ(detect_language("\xCE\x9F\xCE\xB9 \xCE\xB5\xCF\x80\xCE\xB1\xCE\xBD\xCE\xB1\xCF\x83\xCF\x84\xCE\xAC\xCF\x84\xCE\xB5\xCF\x82 "
                            "\xCE\xB2\xCF\x81\xCE\xAF\xCF\x83\xCE\xBA\xCE\xBF\xCE\xBD\xCF\x84\xCE\xB1\xCE\xB9 \xCF\x80\xCE\xBB\xCE\xAD\xCE\xBF\xCE\xBD "
                            "\xCE\xBC\xCF\x8C\xCE\xBB\xCE\xB9\xCF\x82 20 \xCF\x87\xCE\xB9\xCE\xBB\xCE\xB9\xCF\x8C\xCE\xBC\xCE\xB5\xCF\x84\xCF\x81\xCE\xB1 "
                            "\xCE\xB1\xCF\x80\xCF\x8C \xCF\x84\xCE\xB7 \xCE\x94\xCE\xB1\xCE\xBC\xCE\xB1\xCF\x83\xCE\xBA\xCF\x8C.").code, "el");
  EXPECT_EQ(detect_language("ok").code, "") << "too short to call";
  EXPECT_EQ(detect_language("").code, "");
}

}  // namespace
}  // namespace gazette::core
