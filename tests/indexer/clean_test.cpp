// The clean stage: dates in free text, scraped-text cleaning on the two seed articles
// and on constructed cases, HTML extraction on the fixture pages (checked against
// tests/fixtures/html/expected.json), and the input plumbing (compression, globs,
// size cap).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>
#include <zlib.h>
#include <zstd.h>

#include "core/date_text.h"
#include "gazette/reader.h"
#include "indexer/clean/bylines.h"
#include "indexer/clean/html_page.h"
#include "indexer/clean/outlets.h"
#include "indexer/clean/prose.h"
#include "indexer/clean/scraped_text.h"
#include "tests/support/read_all.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

using indexer::clean::clean_html_page;
using indexer::clean::clean_scraped_text;
using indexer::clean::CleanedText;
using indexer::clean::ProseMeasure;
using testing::TempDir;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string source_path(const std::string& relative) { return std::string(GAZETTE_SOURCE_DIR) + "/" + relative; }

std::string provenance_of(const std::vector<std::pair<std::string, std::string>>& provenance,
                          const std::string& field) {
  for (const auto& [name, how] : provenance) {
    if (name == field) return how;
  }
  return {};
}

// --- Dates in free text --------------------------------------------------------------

std::string found(std::string_view text) {
  const auto date = core::find_date(text);
  return date ? format_timestamp(date->seconds) : "none";
}

TEST(DateText, ReadsTheCommonWrittenForms) {
  EXPECT_EQ(found("geronl in reply to TargaGTS. | December 7, 2024 at 1:03 pm"), "2024-12-07T13:03:00Z");
  EXPECT_EQ(found("Sat, 07 Dec 2024 13:03:00 +0200"), "2024-12-07T11:03:00Z");
  EXPECT_EQ(found("Sat, 30 Nov 2024 08:15:00 GMT"), "2024-11-30T08:15:00Z");
  EXPECT_EQ(found("Published 7 Dec 2024"), "2024-12-07T00:00:00Z");
  EXPECT_EQ(found("on the 7th of December, 2024"), "2024-12-07T00:00:00Z");
  EXPECT_EQ(found("Dec. 7, 2024, 6:46 PM EST"), "2024-12-07T23:46:00Z");
  EXPECT_EQ(found("Updated 2024-12-07T10:00:00-05:00"), "2024-12-07T15:00:00Z");
  EXPECT_EQ(found("2024/12/07"), "2024-12-07T00:00:00Z");
  EXPECT_EQ(found("6 d\xC3\xA9" "cembre 2024"), "2024-12-06T00:00:00Z");
  EXPECT_EQ(found("12:01 am, January 1, 2025"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(found("January 1, 2025 12:30 am"), "2025-01-01T00:30:00Z");
}

TEST(DateText, RejectsIncompleteAmbiguousAndImpossibleDates) {
  EXPECT_EQ(found("the civil war that erupted in 2011"), "none");
  EXPECT_EQ(found("December 2024"), "none");
  EXPECT_EQ(found("12/07/2024"), "none");  // Day and month order unknown.
  EXPECT_EQ(found("February 30, 2024"), "none");
  EXPECT_EQ(found("about 12 miles away, 2,000 troops"), "none");
}

TEST(DateText, LooseParsingWantsTheWholeTextToBeOneDate) {
  EXPECT_EQ(core::parse_loose_date("Published: December 7, 2024"), parse_date("2024-12-07"));
  EXPECT_EQ(core::parse_loose_date("2024-12-07T14:30:00+02:00"), parse_date("2024-12-07T12:30:00Z"));
  EXPECT_FALSE(core::parse_loose_date("December 7, 2024 and 12 more"));
  EXPECT_FALSE(core::parse_loose_date("yesterday"));
}

// --- Scraped text ---------------------------------------------------------------------

TEST(ScrapedText, Seed000TitleOnceDateInferredBodyEndsBeforeDonateCommentsApart) {
  const CleanedText text = clean_scraped_text(read_file(source_path("corpus/seeds/000_457d23cbc2c2c0b6.txt")));
  EXPECT_EQ(text.title,
            "Reports: Islamic Rebels Begin Encircling Syrian Capital Damascus as Assad Regime Forces Collapse");
  EXPECT_EQ(text.body.find(text.title), std::string::npos) << "the repeated title stays out of the body";
  EXPECT_EQ(text.body.find("Image 01"), std::string::npos);
  EXPECT_TRUE(text.body.starts_with("France24 TV:"));
  EXPECT_TRUE(text.body.ends_with("the military assured.")) << text.body.substr(text.body.size() - 80);
  EXPECT_EQ(text.body.find("DONATE"), std::string::npos);
  EXPECT_EQ(text.body.find("goner"), std::string::npos);
  EXPECT_EQ(text.outlet, "") << "nothing in the text names the outlet";
  ASSERT_TRUE(text.date);
  EXPECT_EQ(format_timestamp(*text.date), "2024-12-07T00:00:00Z");
  EXPECT_EQ(text.date_source, "comments") << "the date is only in the comment thread";
  EXPECT_NE(provenance_of(text.provenance, "date").find("no later than"), std::string::npos);
  // The comment thread: kept apart, headers and repeats gone.
  EXPECT_NE(text.comments.find("Assad\xE2\x80\x99s a goner"), std::string::npos);
  EXPECT_NE(text.comments.find("Libya on steroids"), std::string::npos);
  EXPECT_EQ(text.comments.find("in reply to"), std::string::npos);
  const std::string repeated = "CIA once again using Sunni extremists";
  const auto first = text.comments.find(repeated);
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(text.comments.find(repeated, first + 1), std::string::npos) << "a repeated comment is kept once";
  EXPECT_EQ(text.comments.find("Donations tax deductible"), std::string::npos);
}

TEST(ScrapedText, Seed004OutletFromFooterNoDate) {
  const CleanedText text = clean_scraped_text(read_file(source_path("corpus/seeds/004_e348a0f068cd92ab.txt")));
  EXPECT_EQ(text.title, "Syria: Jihadists are just 20 km from Damascus \xE2\x80\x93 Assad\xE2\x80\x99s forces collapse");
  EXPECT_EQ(text.outlet, "ProtoThema English");
  EXPECT_NE(provenance_of(text.provenance, "outlet").find("appeared first on"), std::string::npos);
  EXPECT_FALSE(text.date);
  EXPECT_EQ(text.body.find("appeared first on"), std::string::npos);
  EXPECT_EQ(text.body.find("Continue reading"), std::string::npos);
  EXPECT_TRUE(text.body.ends_with("territorial integrity.")) << text.body.substr(text.body.size() - 60);
  EXPECT_TRUE(text.comments.empty());
}

TEST(ScrapedText, ByLineDateLineBannersAndPlaceholders) {
  const CleanedText text = clean_scraped_text(
      "Council backs tram extension | Riverside Post\n"
      "By Jane Roe and Sam Poe\n"
      "Published: March 3, 2023 at 9:15 am\n"
      "Photo 1\n"
      "The city council voted to extend the tram line to the hospital.\n"
      "Subscribe to our newsletter\n"
      "Construction starts next spring, officials said.\n"
      "\n"
      "Originally published by Riverside Post.\n");
  EXPECT_EQ(text.title, "Council backs tram extension");
  EXPECT_EQ(text.authors, (std::vector<std::string>{"Jane Roe", "Sam Poe"}));
  ASSERT_TRUE(text.date);
  EXPECT_EQ(format_timestamp(*text.date), "2023-03-03T09:15:00Z");
  EXPECT_EQ(text.outlet, "Riverside Post");
  EXPECT_EQ(text.body,
            "The city council voted to extend the tram line to the hospital.\n"
            "Construction starts next spring, officials said.");
}

TEST(ScrapedText, OutletFromByLineTitleSuffixOrSiteNameLine) {
  CleanedText text = clean_scraped_text("Quake shakes island\nBy Jane Roe, Reuters\nA strong earthquake struck.\n");
  EXPECT_EQ(text.outlet, "Reuters");
  EXPECT_EQ(text.authors, std::vector<std::string>{"Jane Roe"});
  EXPECT_NE(provenance_of(text.provenance, "outlet").find("by-line"), std::string::npos);

  text = clean_scraped_text("Quake shakes island\nBy Jane Roe | Island Herald\nA strong earthquake struck.\n");
  EXPECT_EQ(text.outlet, "Island Herald");

  text = clean_scraped_text("Quake shakes island - Associated Press\n\nA strong earthquake struck.\n");
  EXPECT_EQ(text.title, "Quake shakes island");
  EXPECT_EQ(text.outlet, "Associated Press");

  text = clean_scraped_text("Rebels advance \xE2\x80\x93 army retreats\n\nText.\n");
  EXPECT_EQ(text.title, "Rebels advance \xE2\x80\x93 army retreats") << "a dash inside a headline stays";
  EXPECT_EQ(text.outlet, "");

  text = clean_scraped_text("The Guardian\nQuake shakes island\n\nA strong earthquake struck.\n");
  EXPECT_EQ(text.title, "Quake shakes island");
  EXPECT_EQ(text.outlet, "The Guardian");
  EXPECT_NE(provenance_of(text.provenance, "outlet").find("site name line"), std::string::npos);

  // A footer outranks the lower-trust sources.
  text = clean_scraped_text("Quake | Island Herald\nBody.\nThe post Quake appeared first on Herald Online.\n");
  EXPECT_EQ(text.outlet, "Herald Online");
}

TEST(ScrapedText, PlainTextWithNothingToRecogniseIsTitleAndBody) {
  const CleanedText text = clean_scraped_text("  Title line\n\nFirst paragraph.\n\nSecond paragraph.\n");
  EXPECT_EQ(text.title, "Title line");
  EXPECT_EQ(text.body, "First paragraph.\n\nSecond paragraph.");
  EXPECT_TRUE(text.comments.empty());
  EXPECT_TRUE(text.outlet.empty());
  EXPECT_FALSE(text.date);
}

// A text with no title of its own: a one-line text is title and body; a first line a
// wrapped paragraph goes on from is the title and the paragraph stays whole in the body.
// A short title line above its paragraph is not repeated.
TEST(ScrapedText, BodyIsNeverEmptyNorCutAfterItsFirstLine) {
  const CleanedText one = clean_scraped_text("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n");
  EXPECT_EQ(one.title, "Lorem ipsum dolor sit amet, consectetur adipiscing elit.");
  EXPECT_EQ(one.body, one.title);
  const CleanedText wrapped = clean_scraped_text(
      "AI has not changed much in the security of the harbour's computers so far. Fake\n"
      "phishing mails are still rare, the authority said in its yearly report.\n");
  EXPECT_EQ(wrapped.title, "AI has not changed much in the security of the harbour's computers so far. Fake");
  EXPECT_EQ(wrapped.body, "AI has not changed much in the security of the harbour's computers so far. Fake\n"
                          "phishing mails are still rare, the authority said in its yearly report.");
  const CleanedText titled = clean_scraped_text("New quay opens\nThe harbour authority opened the quay on Tuesday.\n");
  EXPECT_EQ(titled.title, "New quay opens");
  EXPECT_EQ(titled.body, "The harbour authority opened the quay on Tuesday.");
}

// A whole page dumped by a text browser: a menu, a "Comments" button above the
// article, the article's paragraphs (one a short quote), and footer links. The body is
// the article, from its first paragraph to its last; the button starts no thread.
TEST(ScrapedText, PageDumpKeepsTheArticleBetweenMenusAndFooter) {
  std::string dump = "Harbour Times\n\n";
  for (const char* item : {"• Home", "• World", "• Business", "• Sport", "• Sign in", "• Subscribe now"}) {
    dump += std::string(item) + "\n";
  }
  dump += "\nComments\n\nNew quay opens to the largest container ships\n\n";
  const std::string paragraphs[] = {
      "The harbour authority said on Tuesday that the new quay, which was built over three years, will be able\n"
      "to take container ships that are twice the size of those that call at the port today.",
      "Fishermen, who moor at the old quay beside it, had asked for a separate channel, and the authority\n"
      "agreed to dredge one for them before the first of the large ships arrives in the spring.",
      "\"It is a good day for the town,\" the mayor said.",
      "The works cost 84 million euros, of which the regional government paid a third, and they employed\n"
      "about 400 people at their busiest, most of them from the town itself and the villages around it."};
  for (const std::string& paragraph : paragraphs) {
    dump += paragraph + "\n\n";
    if (paragraph.starts_with("Fishermen")) {
      dump += "• Storm closes old harbour\n• Ferry timetable changes Monday\n• Council budget approved\n"
              "• Photos: Regatta weekend\n\n";
    }
  }
  for (const char* item : {"About us", "Contact", "Privacy policy", "Terms of use", "Advertise", "Careers"}) {
    dump += std::string(item) + "\n";
  }
  const auto text = clean_scraped_text(dump);
  EXPECT_TRUE(text.comments.empty()) << text.comments;
  EXPECT_EQ(text.body.find("Sign in"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("Privacy policy"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("The harbour authority said"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("the mayor said"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("villages around it."), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("Ferry timetable"), std::string::npos) << "a link list inside the article\n" << text.body;
}

// The prose measure: sentences are dense in function words, menus are not; the
// language is found from the text; Czech is scaled to read as English does.
TEST(Prose, FunctionWordDensityTellsSentencesFromMenus) {
  const ProseMeasure english("en");
  EXPECT_GT(english.density("The harbour authority said on Tuesday that the new quay, which was built over "
                            "three years, will be able to take ships twice the size of those that call today."),
            0.30);
  EXPECT_LT(english.density("Home World Business Sport Climate Photography Video Podcasts Newsletters"), 0.15);
  EXPECT_FALSE(ProseMeasure("xx").known());
  EXPECT_EQ(ProseMeasure("xx").density("the of and"), 0);

  const std::string french =
      "Le conseil municipal a voté mardi le budget de la ville pour l'année prochaine. Il prévoit une hausse "
      "des dépenses pour les écoles et une baisse des impôts locaux, que l'opposition juge irréaliste.";
  EXPECT_EQ(ProseMeasure::for_text(french).language(), "fr");
  EXPECT_GT(ProseMeasure::for_text(french).density(french), 0.30);
  const std::string czech =
      "Policisté budou s hygieniky častěji kontrolovat dodržování opatření, uvedl ministr vnitra. Kontroly se "
      "zaměří hlavně na restaurace a obchody, kde se podle něj pravidla v posledních týdnech porušují.";
  EXPECT_EQ(ProseMeasure::for_text(czech).language(), "cs");
  EXPECT_GT(ProseMeasure::for_text(czech).density(czech), 0.25);
}

// A page dump in French: the article is found between the menus and the footer as in
// English (function words of the page's own language).
TEST(ScrapedText, PageDumpInAnotherLanguage) {
  std::string dump = "Le Courrier du Port\n\n";
  for (const char* item : {"• Accueil", "• Monde", "• Économie", "• Sport", "• Culture", "• S'abonner"}) {
    dump += std::string(item) + "\n";
  }
  dump += "\nLe nouveau quai ouvre aux plus grands porte-conteneurs\n\n"
          "L'autorité portuaire a annoncé mardi que le nouveau quai, dont la construction a duré trois ans, pourra\n"
          "accueillir des navires deux fois plus grands que ceux qui font escale aujourd'hui dans le port.\n\n"
          "Les pêcheurs, qui amarrent leurs bateaux au vieux quai voisin, avaient demandé un chenal séparé, et\n"
          "l'autorité a accepté de le draguer avant l'arrivée du premier grand navire au printemps.\n\n"
          "Les travaux ont coûté 84 millions d'euros, dont la région a payé un tiers, et ils ont employé jusqu'à\n"
          "400 personnes, pour la plupart venues de la ville elle-même et des villages qui l'entourent.\n\n";
  for (const char* item : {"Qui sommes-nous", "Contact", "Mentions légales", "Publicité", "Carrières", "Plan du site"}) {
    dump += std::string(item) + "\n";
  }
  const auto text = clean_scraped_text(dump);
  EXPECT_EQ(text.body.find("S'abonner"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("Mentions légales"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("L'autorité portuaire a annoncé"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("villages qui l'entourent."), std::string::npos) << text.body;
}

// Prose above the menus (a cookie notice, "JavaScript is off") is not the article: the
// article is the stretch with the most prose.
TEST(ScrapedText, PageDumpArticleIsTheStretchWithTheMostProse) {
  std::string dump = "Harbour Times\n\n"
                     "We use cookies and similar technologies to improve your experience of our site, to show you\n"
                     "advertising that may interest you and to measure how the site is used by all of our readers.\n\n";
  for (const char* item : {"• Home", "• World news", "• Business and markets", "• Sport", "• Opinion and letters",
                           "• Culture", "• Lifestyle", "• Travel", "• Weather", "• Puzzles", "• Sign in",
                           "• Subscribe now"}) {
    dump += std::string(item) + "\n";
  }
  dump += "\nNew quay opens to the largest container ships\n\n"
          "The harbour authority said on Tuesday that the new quay, which was built over three years, will be able\n"
          "to take container ships that are twice the size of those that call at the port today.\n\n"
          "Fishermen, who moor at the old quay beside it, had asked for a separate channel, and the authority\n"
          "agreed to dredge one for them before the first of the large ships arrives in the spring.\n\n"
          "The works cost 84 million euros, of which the regional government paid a third, and they employed\n"
          "about 400 people at their busiest, most of them from the town itself and the villages around it.\n\n"
          "Traders in the town centre expect more visitors, although some of them worry about the lorries on\n"
          "the narrow coast road, which the council has promised to widen before the end of next year.\n\n";
  for (const char* item : {"About us", "Contact", "Privacy policy", "Terms of use", "Advertise", "Careers"}) {
    dump += std::string(item) + "\n";
  }
  const auto text = clean_scraped_text(dump);
  EXPECT_EQ(text.body.find("We use cookies"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("Subscribe now"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("The harbour authority said"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("end of next year."), std::string::npos) << text.body;
}

// A comment thread shown above its "Leave a comment" form, with no heading of its own:
// dated by-lines each followed by a "Reply" start it.
TEST(ScrapedText, ThreadWithoutAHeadingStartsAtTheFirstCommentByLine) {
  const auto text = clean_scraped_text(
      "New quay opens\n\n"
      "The harbour authority said on Tuesday that the new quay, which was built over three years, will take\n"
      "container ships that are twice the size of those that call at the port today.\n\n"
      "Rarst · March 10, 2017 at 1:26 AM\n\n"
      "One nuance might be that the channel was never dredged deep enough for them.\n\n"
      "• Reply\n\n"
      "Barry Kooij · March 10, 2017 at 2:56 AM\n\n"
      "I feel like you are right on this one.\n\n"
      "• Reply\n\n"
      "Leave a Reply\n");
  EXPECT_NE(text.body.find("twice the size"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("Rarst"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("One nuance"), std::string::npos) << text.body;
  EXPECT_NE(text.comments.find("One nuance might be"), std::string::npos) << text.comments;
  EXPECT_NE(text.comments.find("I feel like you are right"), std::string::npos) << text.comments;
  EXPECT_EQ(text.comments.find("Reply"), std::string::npos) << text.comments;
}

// Inside a page dump's article, a code listing or a table drawn with box lines sits
// between prose and is kept (brackets and operators mark it); the teasers under a
// "Related" heading after the article are not, though their summaries read as prose;
// "There are 13 comments" starts the comments.
TEST(ScrapedText, PageDumpKeepsCodeAndStopsAtRelatedArticles) {
  std::string dump = "Harbour Times\n\n";
  for (const char* item : {"• Home", "• World news", "• Business", "• Sport", "• Opinion", "• Culture"}) {
    dump += std::string(item) + "\n";
  }
  dump += "\nCounting ships with a query\n\n"
          "The harbour authority publishes every arrival in a table, and this is how we counted the ships that\n"
          "called at the port in each month of the year, with the query we ran against the public copy of it.\n\n"
          "SELECT date_trunc('month', arrived) AS month, count(*) AS ships\n"
          "FROM arrivals WHERE arrived >= '2024-01-01' GROUP BY month;\n\n"
          "The result shows that the busiest month was July, when the ferries to the islands run every hour and\n"
          "the cruise ships that stop for a day add to them, while the quietest was February, as every year.\n\n"
          "month    │ ships\n"
          "─────────┼──────\n"
          "July     │ 412\n"
          "February │ 198\n\n"
          "The new quay will change that, the authority says, because the largest container ships will call all\n"
          "year round, and it expects the winter months to be nearly as busy as the summer ones from next year.\n\n"
          "Related\n\n"
          "Ferry timetable changes from Monday\n\n"
          "The ferry company said that the first boat to the islands will leave half an hour earlier from Monday,\n"
          "so that the workers on the new quay can be there when the shift starts at seven in the morning.\n\n"
          "March 17, 2024\n\n"
          "There are 13 comments\n\n"
          "Rarst · March 10, 2024 at 1:26 AM\n\n"
          "Good to see the numbers for once, and the query is a nice touch for those of us who want to check.\n\n"
          "• Reply\n";
  const auto text = clean_scraped_text(dump);
  EXPECT_NE(text.body.find("SELECT date_trunc"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("February │ 198"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("nearly as busy as the summer ones"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("Ferry timetable"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("first boat to the islands"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("Home"), std::string::npos) << text.body;
  EXPECT_NE(text.comments.find("Good to see the numbers"), std::string::npos) << text.comments;
}

// A related-articles box between two paragraphs goes (its heading and its teaser), and
// the article goes on after it.
// A page as a text browser dumps it: a menu above the article, links below it.
std::string page_dump_around(const std::string& article) {
  std::string dump = "Harbour Times\n\n";
  for (const char* item : {"• Home", "• World news", "• Business", "• Sport", "• Opinion", "• Culture"}) {
    dump += std::string(item) + "\n";
  }
  dump += "\n" + article + "\n";
  for (const char* item : {"About us", "Contact", "Privacy policy", "Terms of use", "Advertise", "Careers"}) {
    dump += std::string(item) + "\n";
  }
  return dump;
}

TEST(ScrapedText, PageDumpRelatedBoxInsideTheArticleGoes) {
  const auto text = clean_scraped_text(page_dump_around(
      "New quay opens to the largest container ships\n\n"
      "The harbour authority said on Tuesday that the new quay, which was built over three years, will be able\n"
      "to take container ships that are twice the size of those that call at the port today.\n\n"
      "Související\n\n"
      "Rybáři chtějí vlastní kanál. Přístav jim ho slíbil vyhloubit do jara\n\n"
      "Fishermen, who moor at the old quay beside it, had asked for a separate channel, and the authority\n"
      "agreed to dredge one for them before the first of the large ships arrives in the spring.\n\n"
      "The works cost 84 million euros, of which the regional government paid a third, and they employed\n"
      "about 400 people at their busiest, most of them from the town itself and the villages around it.\n"));
  EXPECT_NE(text.body.find("twice the size"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("villages around it."), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("Související"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("Rybáři"), std::string::npos) << text.body;
}

// A newsletter sign-up between two paragraphs goes: its text box ("[      ]" in w3m,
// underscores in lynx), the lines inviting to fill it and its button. A paragraph the
// text browser wrote in the same block as a field stays.
TEST(ScrapedText, PageDumpFormInsideTheArticleGoes) {
  const auto text = clean_scraped_text(page_dump_around(
      "New quay opens to the largest container ships\n\n"
      "The harbour authority said on Tuesday that the new quay, which was built over three years, will be able\n"
      "to take container ships that are twice the size of those that call at the port today.\n\n"
      "SIGN UP FOR OUR NEWSLETTER\n\n"
      "  • [                    ]\n\n"
      "[Submit]\n"
      "Fishermen, who moor at the old quay beside it, had asked for a separate channel, and the authority\n"
      "agreed to dredge one for them before the first of the large ships arrives in the spring.\n\n"
      "Get the harbour briefing every morning, free!\n"
      "Your e-mail * ____________________\n"
      "Next\n"
      "The works cost 84 million euros, of which the regional government paid a third, and they employed\n"
      "about 400 people at their busiest, most of them from the town itself and the villages around it.\n"));
  EXPECT_NE(text.body.find("twice the size"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("Fishermen, who moor"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("The works cost 84 million"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("NEWSLETTER"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("[Submit]"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("[    "), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("e-mail"), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find("Next"), std::string::npos) << text.body;
}

// A text browser wraps long lines at its width; inside Chinese or Japanese (no spaces
// between words) the wrap is undone, elsewhere the line break stays.
TEST(ScrapedText, WrappedChineseLinesAreJoined) {
  const auto text = clean_scraped_text(
      "DeepMind新电脑\n\n"
      "谷歌在2014年收购的人工智能公司DeepMind开发出一款能够用自己的记忆学习新知\n"
      "识并利用这些知识来回答问题的计算机。\n\n"
      "短行\n下一行\n");
  EXPECT_NE(text.body.find("学习新知识并利用"), std::string::npos) << text.body;
  EXPECT_NE(text.body.find("短行\n下一行"), std::string::npos) << text.body;
}

TEST(ScrapedText, LineRules) {
  using namespace indexer::clean;
  EXPECT_TRUE(is_placeholder_line("Image 01 Image 03"));
  EXPECT_TRUE(is_placeholder_line("ADVERTISEMENT"));
  EXPECT_FALSE(is_placeholder_line("Image 01 shows the border crossing"));
  EXPECT_TRUE(is_banner_line("DONATE"));
  EXPECT_TRUE(is_banner_line("Sign up for our newsletter!"));
  EXPECT_FALSE(is_banner_line("Donations to the party rose by a third last year, the filing shows."));
  EXPECT_TRUE(is_comment_heading("Comments"));
  EXPECT_TRUE(is_comment_heading("12 Responses"));
  EXPECT_TRUE(is_comment_heading("3 thoughts on \xE2\x80\x9CHarbour ferry\xE2\x80\x9D"));
  EXPECT_FALSE(is_comment_heading("Comments by the minister drew criticism"));
  EXPECT_EQ(outlet_from_footer("The post A \xE2\x80\x93 B appeared first on ProtoThema English."), "ProtoThema English");
  EXPECT_EQ(outlet_from_footer("Continue reading on:"), "");
  EXPECT_FALSE(outlet_from_footer("The post office reopened on Monday."));
}

// --- HTML pages ------------------------------------------------------------------------

TEST(HtmlPage, FixturesExtractAsExpected) {
  const nlohmann::json expected = nlohmann::json::parse(read_file(source_path("tests/fixtures/html/expected.json")));
  std::size_t fields = 0, correct = 0;
  for (const auto& [name, want] : expected.items()) {
    if (name.starts_with("_")) continue;
    SCOPED_TRACE(name);
    const auto page = clean_html_page(indexer::clean::html_to_utf8(read_file(source_path("tests/fixtures/html/" + name))));
    auto check = [&](bool ok) {
      ++fields;
      correct += ok;
      EXPECT_TRUE(ok);
    };
    check(page.title == want["title"].get<std::string>());
    check(page.outlet == want["outlet"].get<std::string>());
    const std::string date = page.date ? format_timestamp(*page.date, page.date_offset) : "";
    EXPECT_EQ(date, want["date"].get<std::string>());
    check(date == want["date"].get<std::string>());
    check(page.authors == want["authors"].get<std::vector<std::string>>());
    check(page.lang == want["lang"].get<std::string>());
    check(page.url == want["url"].get<std::string>());
    for (const auto& phrase : want["body_has"]) check(page.body.find(phrase.get<std::string>()) != std::string::npos);
    for (const auto& phrase : want["body_lacks"]) check(page.body.find(phrase.get<std::string>()) == std::string::npos);
    for (const auto& phrase : want["comments_has"]) check(page.comments.find(phrase.get<std::string>()) != std::string::npos);
    if (want.contains("comments_lacks")) {
      for (const auto& phrase : want["comments_lacks"]) check(page.comments.find(phrase.get<std::string>()) == std::string::npos);
    }
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "title: " << page.title << "\noutlet: " << page.outlet << "\nbody:\n" << page.body
                    << "\ncomments:\n" << page.comments;
    }
  }
  std::printf("HTML fixture extraction: %zu of %zu checks correct\n", correct, fields);
}

TEST(HtmlPage, OutletFromUrlUsesTheHostTable) {
  using indexer::clean::outlet_from_url;
  EXPECT_EQ(outlet_from_url("https://www.reuters.com/world/x"), "Reuters");
  EXPECT_EQ(outlet_from_url("https://en.protothema.gr/syria/"), "ProtoThema English");
  EXPECT_EQ(outlet_from_url("https://www.protothema.gr/greece/"), "Proto Thema");
  EXPECT_EQ(outlet_from_url("http://www.unknown-gazette.example:8080/a"), "unknown-gazette.example");
  EXPECT_EQ(outlet_from_url("not a url"), "");
}

TEST(HtmlPage, EmptyAndTextlessPagesDoNotCrash) {
  EXPECT_TRUE(clean_html_page("").body.empty());
  EXPECT_TRUE(clean_html_page("<html><body><nav><a href=/>Home</a></nav></body></html>").body.empty());
  const auto page = clean_html_page("<p>One short paragraph only, enough to be read as the text.</p>");
  EXPECT_EQ(page.body, "One short paragraph only, enough to be read as the text.");
}

// What provenance says of a field ("body": where the body came from).
std::string provenance_of(const indexer::clean::CleanedPage& page, std::string_view field) {
  for (const auto& [name, source] : page.provenance) {
    if (name == field) return source;
  }
  return {};
}
std::string body_source(const indexer::clean::CleanedPage& page) { return provenance_of(page, "body"); }

// Four paragraphs of article prose (~600 characters), for the page fixtures below.
std::string prose_paragraphs() {
  return "<p>The harbour authority said on Tuesday that the new quay, built over three years, will take "
         "container ships twice the size of those that call today.</p>"
         "<p>Fishermen, who moor at the old quay beside it, asked for a separate channel, and the authority "
         "agreed to dredge one before the first large ship arrives in the spring.</p>"
         "<p>The works cost 84 million euros, of which the regional government paid a third, and employed "
         "about 400 people at their busiest, most of them from the town itself.</p>"
         "<p>Traders in the town centre expect more visitors, although some worry about lorries on the narrow "
         "coast road, which the council has promised to widen next year.</p>";
}

// A page of `head` markup and an <article> of prose_paragraphs().
std::string article_page(const std::string& head) {
  return "<html><head>" + head + "</head><body><article>" + prose_paragraphs() + "</article></body></html>";
}

// A page whose wrapper's class names mislead the first pass (a <body> named
// "no-sidebars", a wrapper "comments-enabled") keeps its text: the next pass reads
// without names, and provenance says so.
TEST(HtmlPage, MisleadingClassNamesDoNotEmptyTheBody) {
  const std::string page_html = "<html><body class=\"page no-sidebars layout-sidebar-right\">"
                                "<div class=\"wrapper comments-enabled\"><h1>New quay opens</h1>" +
                                prose_paragraphs() + "</div></body></html>";
  const auto page = clean_html_page(page_html);
  EXPECT_NE(page.body.find("container ships twice the size"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("widen next year."), std::string::npos) << page.body;
  const std::string how = body_source(page);
  EXPECT_NE(how.find("names ignored"), std::string::npos) << how;
  // Where the names are right, the first pass keeps its verdict: the share bar stays out.
  const auto fair = clean_html_page("<html><body><article>" + prose_paragraphs() +
                                    "<div class=\"share-bar\"><p>Share this story on every network you use, "
                                    "and tell a friend today please.</p></div></article></body></html>");
  EXPECT_EQ(fair.body.find("Share this story"), std::string::npos) << fair.body;
  EXPECT_NE(fair.body.find("container ships"), std::string::npos);
}

// An article split over sibling blocks (each few paragraphs in its own wrapper, as a
// large US newspaper does), with a related-links list and a newsletter box between
// them: every block kept, in order, and neither the links nor the box.
TEST(HtmlPage, ArticleSplitIntoBlocksIsKeptWholeInOrder) {
  const std::string sentences[] = {
      "The harbour authority said on Tuesday that the new quay, built over three years, will take ships twice the size.",
      "Fishermen, who moor at the old quay beside it, asked for a separate channel, and the authority agreed to dredge.",
      "The works cost 84 million euros, of which the regional government paid a third, and employed about 400 people.",
      "Traders in the town centre expect more visitors, although some worry about lorries on the narrow coast road.",
      "The council has promised to widen the road next year, once the regional budget for transport is agreed.",
      "The first large ship, a container carrier from Rotterdam, is expected in April, weather permitting, officials said."};
  std::string page_html = "<html><body><header><a href=/>Home</a> <a href=/news>News</a></header><main><h1>Quay</h1>";
  for (int block = 0; block < 3; ++block) {
    page_html += "<div class=\"StoryBodyCompanionColumn\"><div class=\"css-53u6y8\"><p>" + sentences[2 * block] +
                 "</p><p>" + sentences[2 * block + 1] + "</p></div></div>";
    if (block == 0) {
      page_html += "<div class=\"css-1x2\"><ul><li><a href=/a>Storm closes the old harbour for a week</a></li>"
                   "<li><a href=/b>Ferry timetable changes from Monday</a></li></ul></div>";
    }
    if (block == 1) {
      page_html += "<div class=\"newsletter-signup\"><p>Sign up for the morning briefing, delivered to your inbox "
                   "every weekday.</p></div>";
    }
  }
  page_html += "</main></body></html>";
  const auto page = clean_html_page(page_html);
  std::size_t last = 0;
  for (const std::string& sentence : sentences) {
    const std::size_t at = page.body.find(sentence);
    ASSERT_NE(at, std::string::npos) << sentence << "\n" << page.body;
    EXPECT_GE(at, last) << "in order";
    last = at;
  }
  EXPECT_EQ(page.body.find("Storm closes"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Sign up"), std::string::npos) << page.body << "\n" << body_source(page);

  // The rest of an article folded behind a "Read more" button is still the article.
  const auto folded = clean_html_page("<html><body><article><div class=\"story-body\"><p>" + sentences[0] + "</p><p>" +
                                      sentences[1] + "</p><div id=\"read-more\"><div id=\"read-more-link\"><a href=\"\">"
                                      "Read more</a></div><div id=\"read-more-content\"><p>" + sentences[2] + "</p><p>" +
                                      sentences[3] + "</p></div></div></div></article></body></html>");
  EXPECT_NE(folded.body.find(sentences[3]), std::string::npos) << folded.body;
  EXPECT_EQ(folded.body.find("Read more"), std::string::npos) << folded.body;
}

// A date outside 1990..now is a misreading: the next source is taken, and provenance
// names what was passed over; with no plausible date the page stays undated here.
TEST(HtmlPage, ImpossibleDatesArePassedOver) {
  const std::string ld = "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"headline\": \"Quay\", "
                         "\"datePublished\": \"0001-01-01T00:00:00Z\"}</script>";
  const auto dated =
      clean_html_page(article_page(ld + "<meta property=\"article:published_time\" content=\"2019-05-04T10:00:00Z\">"));
  ASSERT_TRUE(dated.date);
  EXPECT_EQ(format_timestamp(*dated.date), "2019-05-04T10:00:00Z");
  const std::string how = provenance_of(dated, "date");
  EXPECT_NE(how.find("passing over JSON-LD datePublished \"0001-01-01T00:00:00Z\" (before 1990)"), std::string::npos) << how;

  const auto undated = clean_html_page(article_page(ld + "<meta name=\"date\" content=\"2199-01-01\">"));
  EXPECT_FALSE(undated.date);
  EXPECT_NE(provenance_of(undated, "date_rejected").find("in the future"), std::string::npos);
  EXPECT_TRUE(core::implausible_date(631151999) == "before 1990");
  EXPECT_TRUE(core::implausible_date(1700000000).empty());
}

TEST(Bylines, NamesFromTheByLineText) {
  using indexer::clean::names_from_byline;
  using Names = std::vector<std::string>;
  EXPECT_EQ(names_from_byline("By Erin Cunningham"), Names{"Erin Cunningham"});
  EXPECT_EQ(names_from_byline("  By\n\t\tScott   Cunningham "), Names{"Scott Cunningham"});
  EXPECT_EQ(names_from_byline("Par Alexandre Hervaud et Jérémy Piette"), (Names{"Alexandre Hervaud", "Jérémy Piette"}));
  EXPECT_EQ(names_from_byline("By Stella Kim and Jennifer Jett | Updated May 3, 2019"), (Names{"Stella Kim", "Jennifer Jett"}));
  EXPECT_EQ(names_from_byline("Written by Rob Ewaschuk Edited by Betsy Beyer"), Names{"Rob Ewaschuk"});
  EXPECT_EQ(names_from_byline("By Brenda Goodman, MA"), Names{"Brenda Goodman"});
  EXPECT_EQ(names_from_byline("Bradley M. Kuhn (http://ebb.org/bkuhn/)"), Names{"Bradley M. Kuhn"});
  EXPECT_EQ(names_from_byline("By Jane Roe, Reuters"), Names{"Jane Roe"});  // The agency is an outlet.
  EXPECT_EQ(names_from_byline("Jane Roe (Reuters)"), Names{"Jane Roe"});
  // An author page's link, and initials in parentheses inside the name.
  EXPECT_EQ(names_from_byline("More Richard (R.J.) Eskow."), Names{"Richard (R.J.) Eskow"});
  EXPECT_EQ(names_from_byline("View all posts by Mary (Molly) Smith"), Names{"Mary (Molly) Smith"});
  EXPECT_EQ(names_from_byline("More from Jane Roe"), Names{"Jane Roe"});
  EXPECT_TRUE(names_from_byline("Last Updated: January 7, 2025").empty());
  EXPECT_TRUE(names_from_byline("https://example.com/staff/jane").empty());
  EXPECT_TRUE(names_from_byline("share this story with your friends on every network today").empty());
}

// A visible by-line names the authors when no metadata does: an author link, a
// schema.org author, a "byline" element; a reader's "comment-author" never.
TEST(HtmlPage, VisibleByLinesNameTheAuthors) {
  const auto link = clean_html_page("<html><body><article><h1>Quay</h1><p class=\"meta\">Par<a rel=\"author\" "
                                    "href=/a/sf>Sébastien Farcis</a></p>" + prose_paragraphs() + "</article></body></html>");
  EXPECT_EQ(link.authors, std::vector<std::string>{"Sébastien Farcis"});
  const auto schema = clean_html_page("<html><body><article><div itemprop=\"author\" itemscope><meta itemprop=\"name\" "
                                      "content=\"Dan Goodin\"><img src=a.jpg></div>" + prose_paragraphs() +
                                      "</article></body></html>");
  EXPECT_EQ(schema.authors, std::vector<std::string>{"Dan Goodin"});
  const auto byline = clean_html_page("<html><body><article><div class=\"article-body__byline\">By <span>Stella Kim"
                                      "</span>and<span>Jennifer Jett</span></div>" + prose_paragraphs() +
                                      "</article><section class=\"comments\"><div class=\"comment-author\">By Joe Reader"
                                      "</div><p>Great piece, thanks for writing it all up.</p></section></body></html>");
  EXPECT_EQ(byline.authors, (std::vector<std::string>{"Stella Kim", "Jennifer Jett"}));
  // Class names written in camel case name a by-line too.
  const auto camel = clean_html_page("<html><body><article><h2>Quay</h2><div class=\"FeatureByline\"> By <b>Nathan "
                                     "Willis</b><br>March 25, 2015</div>" + prose_paragraphs() + "</article></body></html>");
  EXPECT_EQ(camel.authors, std::vector<std::string>{"Nathan Willis"});
  const auto reader_only = clean_html_page("<html><body><article>" + prose_paragraphs() + "</article><section "
                                           "class=\"comments\"><div class=\"comment-author\">By Joe Reader</div>"
                                           "<p>Great piece.</p></section></body></html>");
  EXPECT_TRUE(reader_only.authors.empty());
}

// Metadata as pages really carry it: JSON-LD wrapped in <![CDATA[ ]]>, one <meta>
// serving several properties, Dublin Core before OpenGraph, and an encyclopedia's
// JSON-LD "headline" that describes the subject where its "name" is the title shown.
TEST(HtmlPage, MetadataInTheFormsPagesUse) {
  const auto wrapped = clean_html_page(article_page(
      "<script type=\"application/ld+json\">\n//<![CDATA[\n{\"@type\": \"NewsArticle\", \"headline\": "
      "\"Quay opens\", \"datePublished\": \"2018-04-05T06:00\", \"publisher\": {\"name\": \"Harbour Times\"}, "
      "\"author\": {\"@type\": \"Person\", \"name\": \"Ana Sandoiu\"}}\n//]]>\n</script>"));
  EXPECT_EQ(wrapped.title, "Quay opens");
  EXPECT_EQ(wrapped.outlet, "Harbour Times");
  EXPECT_EQ(wrapped.authors, std::vector<std::string>{"Ana Sandoiu"});
  ASSERT_TRUE(wrapped.date);
  EXPECT_EQ(format_timestamp(*wrapped.date), "2018-04-05T06:00:00Z");

  const auto shared = clean_html_page(article_page(
      "<title>Title Element</title><meta property=\"og:title twitter:title\" content=\"A title\">"
      "<meta property=\"x:title dc:title\" content=\"Preferred title\"><meta name=\"author\" content=\"Some Body\">"
      "<meta property=\"dc:creator twitter:site_name\" content=\"Creator Name\">"));
  EXPECT_EQ(shared.title, "Preferred title");
  EXPECT_EQ(shared.authors, std::vector<std::string>{"Creator Name"});

  const auto encyclopedia = clean_html_page(article_page(
      "<title>Hermitian matrix - Wikipedia</title><script type=\"application/ld+json\">{\"@type\": "
      "\"Article\", \"name\": \"Hermitian matrix\", \"headline\": \"matrix equal to its conjugate-transpose\"}"
      "</script>"));
  EXPECT_EQ(encyclopedia.title, "Hermitian matrix");
}

// Scripts and styles are emptied before parsing (JSON-LD kept): markup-like text inside
// them ("<p>", "</div>") never reaches the body, an upper-case </SCRIPT> ends one, and
// the JSON-LD still gives the metadata.
TEST(HtmlPage, ScriptAndStyleTextNeverReachTheBody) {
  const auto page = clean_html_page(
      "<html><head><style>p { color: red } /* <p>Styled paragraph text</p> */</style>"
      "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"headline\": \"Quay opens\"}</script>"
      "<SCRIPT>var html = '<p>Injected paragraph that is long enough to be scored as prose.</p></div>';</SCRIPT>"
      "</head><body><article>" + prose_paragraphs() +
      "<script>document.write('<p>Written by script, long enough to be scored as prose text.</p>')</script>"
      "</article></body></html>");
  EXPECT_EQ(page.title, "Quay opens");
  EXPECT_NE(page.body.find("container ships"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("widen next year."), std::string::npos) << page.body;
  for (const char* leak : {"Styled", "Injected", "Written by script", "var html", "color"}) {
    EXPECT_EQ(page.body.find(leak), std::string::npos) << leak << "\n" << page.body;
  }
}

// An article whose first paragraphs sit in another wrapper than the rest (a lead block,
// then a "supplemental" block after an ad), its paragraphs sharing one class: every
// paragraph kept, in order, and the ad between them not.
TEST(HtmlPage, ParagraphsOfOneClassInSeveralWrappersAreOneArticle) {
  const std::string lead =
      "<p class=\"story-text\">The harbour authority said on Tuesday that the new quay, built over three years, will "
      "take container ships twice the size of those that call today.</p>";
  std::string rest;
  for (const char* sentence :
       {"Fishermen, who moor at the old quay beside it, asked for a separate channel, and the authority agreed to it.",
        "The works cost 84 million euros, of which the regional government paid a third, and employed 400 people.",
        "Traders in the town centre expect more visitors, although some worry about lorries on the coast road."}) {
    rest += "<p class=\"story-text\">" + std::string(sentence) + " " + sentence + "</p>";
  }
  const auto page = clean_html_page("<html><body><article><h1>Quay</h1><div class=\"lead-in\">" + lead +
                                    "</div><div class=\"ad-slot\"><p>Advertisement, sponsored by a bank you may know.</p>"
                                    "</div><div class=\"supplemental\"><div class=\"block-2\">" + rest +
                                    "</div></div></article><div class=\"promo\"><p>Other stories</p></div></body></html>");
  const std::size_t first = page.body.find("The harbour authority said");
  const std::size_t later = page.body.find("Traders in the town centre");
  ASSERT_NE(first, std::string::npos) << page.body;
  ASSERT_NE(later, std::string::npos) << page.body;
  EXPECT_LT(first, later);
  EXPECT_EQ(page.body.find("Advertisement"), std::string::npos) << page.body;
  EXPECT_NE(body_source(page).find("paragraphs' class \"story-text\""), std::string::npos) << body_source(page);
}

// A sentence around a long link stays (release notes, "Thanks to X, users can now
// <a>import logins from Keepass into Firefox</a>"); a list of links does not.
TEST(HtmlPage, SentencesAroundLinksStayLinkListsGo) {
  const auto page = clean_html_page(
      "<html><body><article>" + prose_paragraphs() +
      "<ul><li>Thanks to evilpie, users can now <a href=/b/1>import logins from Keepass(XC) into Firefox</a></li>"
      "<li>From Firefox 85 it is possible to <a href=/b/2>turn tab-to-search off per engine</a></li></ul>"
      "<ul><li><a href=/s/1>Storm closes the old harbour for a week</a></li><li><a href=/s/2>Ferry timetable changes "
      "from Monday onwards</a></li></ul></article></body></html>");
  EXPECT_NE(page.body.find("Thanks to evilpie, users can now import logins"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("From Firefox 85 it is possible to turn"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Storm closes"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Ferry timetable"), std::string::npos) << page.body;
}

// Boilerplate names run together ("jp-relatedposts", "sharedaddy", "newsletterBox")
// mark boilerplate as the separate words do; a short word inside a longer one does not
// ("address" holds no "ad").
TEST(HtmlPage, BoilerplateNamesRunTogetherAreRecognised) {
  const auto page = clean_html_page(
      "<html><body><article>" + prose_paragraphs() +
      "<div class=\"jp-relatedposts\"><p>Stack Overflow published the results of its developer survey, "
      "summarising responses from developers in many countries.</p></div>"
      "<div class=\"sharedaddy sd-block\"><p>Click to share this story with your friends and family on "
      "every network.</p></div>"
      "<div class=\"newsletterBox\"><p>Get our morning briefing in your inbox every weekday before "
      "seven o'clock.</p></div>"
      "<div class=\"address\"><p>The harbour office stays open on weekdays from eight until six, the "
      "authority said.</p></div></article></body></html>");
  EXPECT_NE(page.body.find("container ships"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Stack Overflow"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Click to share"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("morning briefing"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("harbour office stays open"), std::string::npos) << page.body;
}

// Inside the article a figure keeps its caption (who and what the photo shows), not its
// image or player; a heading made of a link (a listicle's "<h3><a>Product</a> ($20)</h3>")
// stays, as a link list does not; a standfirst in its own <div> beside the article's
// container is read with it.
TEST(HtmlPage, CaptionsLinkedHeadingsAndStandfirstsStay) {
  const auto page = clean_html_page(
      "<html><body><div class=\"wrap\"><div class=\"perex\">Container ships twice today's size will call at the "
      "harbour from the spring, after three years of building work on the new quay.</div>"
      "<div class=\"story\">" + prose_paragraphs() +
      "<figure><img src=a.jpg alt=x><figcaption>The mayor and the harbour master on the new quay in March."
      "</figcaption></figure>"
      "<h3><a href=/dredger>The Dredger Tour</a> ($20)</h3>"
      "<p>A boat trip along the new channel, with a guide who worked on it and a stop at the old quay.</p>"
      "<ul><li><a href=/a>Storm closes the old harbour</a></li><li><a href=/b>Ferry timetable changes</a></li></ul>"
      "</div></div></body></html>");
  EXPECT_NE(page.body.find("Container ships twice today's size"), std::string::npos) << page.body;
  EXPECT_LT(page.body.find("Container ships twice today's size"), page.body.find("The harbour authority said"));
  EXPECT_NE(page.body.find("The mayor and the harbour master"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("The Dredger Tour ($20)"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Storm closes"), std::string::npos) << page.body;
}

// A page of photos is not an article: captions do not count when the article is sought.
TEST(HtmlPage, CaptionsDoNotMakeAGalleryTheArticle) {
  std::string gallery = "<div class=\"gallery\">";
  for (int i = 0; i < 12; ++i) {
    gallery += "<figure><img src=p.jpg><figcaption>Crowds, boats, flags, music and speeches along the quay on "
               "the opening day, as seen from the harbour wall.</figcaption></figure>";
  }
  const auto page = clean_html_page("<html><body><div class=\"top\">" + gallery +
                                    "</div></div><div class=\"main\"><article>" + prose_paragraphs() +
                                    "</article></div></body></html>");
  EXPECT_NE(page.body.find("The harbour authority said"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Crowds, boats"), std::string::npos) << page.body;
}

// A media player (it names itself for screen readers) and its seek slider are not
// text; a link's class ("popup") does not make the words it wraps in a sentence
// boilerplate; a data table's cells that are one link each (a filmography) are data,
// while a layout table of links stays a menu.
TEST(HtmlPage, PlayersGoPopupLinksAndDataTablesStay) {
  const auto page = clean_html_page(
      "<html><body><article>" + prose_paragraphs() +
      "<div aria-label=\"Harbour Video Player\"><div>Video Quality Auto High Medium Low Closed Caption Settings "
      "Captions will look like this</div></div>"
      "<div role=slider>Seek 0:00 of 3:12, the harbour from the air</div>"
      "<p>The mayor said the quay <a class=\"popup\" href=#n1>rings like unto bullion</a> for the town.</p>"
      "<table><caption>Ships named after the town</caption><tr><th>Year</th><th>Ship</th></tr>"
      "<tr><td>1931</td><td><a href=/s/1>Harbour Queen</a></td></tr>"
      "<tr><td>1958</td><td><a href=/s/2>Northern Light</a></td></tr></table>"
      "<table><tr><td><a href=/home>Front page</a></td><td><a href=/sport>Sport pages</a></td></tr></table>"
      "</article></body></html>");
  EXPECT_NE(page.body.find("container ships"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Closed Caption"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Seek 0:00"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("the quay rings like unto bullion for the town"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Harbour Queen"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Northern Light"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Sport pages"), std::string::npos) << page.body;
}

// The shown headline leaves the body when it is the title; when it says something else
// (the <title> is the site's wording), it stays, or its words could not be found.
TEST(HtmlPage, HeadlineUnlikeTheTitleStaysInTheBody) {
  const auto same = clean_html_page("<html><head><title>New quay opens | Harbour Times</title></head><body>"
                                    "<article><h1>New quay opens</h1>" + prose_paragraphs() + "</article></body></html>");
  EXPECT_EQ(same.body.find("New quay opens"), std::string::npos) << same.body;
  const auto other = clean_html_page("<html><head><title>New quay opens</title></head><body><article>"
                                     "<h1>Largest ships can now call at the harbour</h1>" + prose_paragraphs() +
                                     "</article></body></html>");
  EXPECT_EQ(other.title, "New quay opens");
  EXPECT_EQ(other.body.find("Largest ships can now call at the harbour"), 0u) << other.body;
}

// Text a reader never sees (an inline style display:none or visibility:hidden, in any
// spacing or case) stays out; a style that only mentions the words does not hide; text
// placed by coordinates (chart labels) stays out too.
TEST(HtmlPage, TextHiddenByInlineStyleStaysOut) {
  const auto page = clean_html_page(
      "<html><body><article>" + prose_paragraphs() +
      "<div style=\"color: red; DISPLAY : none\"><p>Sign in to keep reading every story we publish each "
      "day of the week.</p></div>"
      "<p style=\"visibility:hidden !important\">This paragraph is a template for the comment form.</p>"
      "<p style=\"font-family: display-none-font\">The mayor will open the quay on Saturday morning.</p>"
      "<div class=\"chart\"><div style=\"top:4.4%;left:0.08%;width:243px\"><p>Ships a month, 2015-2024</p></div>"
      "<div style=\"top: 90%; left: 3%\"><p>$915 million</p></div></div>"
      "<p style=\"margin-top:1em;padding-left:2em\">The first ship is due on the ninth of April.</p>"
      "</article></body></html>");
  EXPECT_NE(page.body.find("container ships"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Sign in to keep reading"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("template for the comment form"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("The mayor will open the quay"), std::string::npos) << page.body;
  // Labels placed by coordinates over a chart (ai2html) are not text; margins are.
  EXPECT_EQ(page.body.find("Ships a month"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("$915 million"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("The first ship is due"), std::string::npos) << page.body;
}

// A page nesting elements 100,000 deep (a fuzzer's, or an attacker's) once overflowed
// the stack: what lies below 400 levels is cut, the rest is read, provenance says so.
// JSON-LD nested 50,000 deep is passed over as unparsable JSON-LD is.
TEST(HtmlPage, DeepNestingIsCutNotACrash) {
  std::string deep = "<html><head><title>Deep</title></head><body><p>Shallow text of the page stays.</p>";
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  deep += "deep text";
  const auto page = clean_html_page(deep);
  EXPECT_EQ(page.body, "Shallow text of the page stays.");
  const std::string how = provenance_of(page.provenance, "structure");
  EXPECT_EQ(how.find("elements nested over 400 deep"), 0u) << how;
  const auto ld = clean_html_page(article_page("<script type=\"application/ld+json\">" + std::string(50000, '[') +
                                               std::string(50000, ']') + "</script>"));
  EXPECT_NE(ld.body.find("container ships"), std::string::npos);
}

// The markup holds only a teaser (the rest is drawn by script), JSON-LD holds the
// publisher's articleBody: the body is the articleBody, and provenance says so.
TEST(HtmlPage, JsonLdArticleBodyWhenTheMarkupGivesLittle) {
  const std::string page_html =
      "<html><head><script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"headline\": \"Quay\", "
      "\"articleBody\": \"The harbour authority said on Tuesday that the new quay will take container ships twice "
      "the size of those that call today.\\nFishermen asked for a separate channel, and the authority agreed to "
      "dredge one before the first large ship arrives.\\nThe works cost 84 million euros.\"}</script></head>"
      "<body><div id=\"app\"><p>Loading the article, please wait a moment.</p></div></body></html>";
  const auto page = clean_html_page(page_html);
  EXPECT_NE(page.body.find("Fishermen asked for a separate channel"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Loading the article"), std::string::npos) << page.body;
  const std::string how = body_source(page);
  EXPECT_EQ(how.rfind("JSON-LD articleBody", 0), 0u) << how;
}

// --- Input plumbing ---------------------------------------------------------------------

using testing::Collected;
using testing::read_all;

std::string gzip(const std::string& data) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string zstd(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
  return out;
}

TEST(Plumbing, CompressedInputsReadTransparently) {
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 3000; ++i) lines += "{\"id\": \"a" + std::to_string(i) + "\", \"title\": \"Story number " + std::to_string(i) + "\"}\n";
  dir.write("in/a.jsonl.gz", gzip(lines));
  dir.write("in/b.jsonl.zst", zstd(lines.substr(0, lines.find('\n') + 1)));
  dir.write("in/c.txt.gz", gzip("Gzipped title\n\nGzipped body text.\n"));
  dir.write("in/ignored.bin", "not an article");
  const Collected read = read_all({dir / "in"});
  EXPECT_TRUE(read.errors.empty());
  ASSERT_EQ(read.articles.size(), 3002u);
  EXPECT_EQ(read.articles[2999].title, "Story number 2999");
  EXPECT_EQ(read.articles[3000].id, "a0");
  EXPECT_EQ(read.articles[3001].title, "Gzipped title");
  EXPECT_EQ(read.articles[3001].body, "Gzipped body text.");
}

TEST(Plumbing, CorruptCompressedFileIsReportedByName) {
  TempDir dir;
  std::string bad = gzip("{\"id\": \"1\"}\n{\"id\": \"2\"}\n");
  bad.resize(bad.size() / 2);
  const std::string file = dir.write("bad.jsonl.gz", bad);
  const std::string good = dir.write("good.jsonl", "{\"id\": \"3\"}\n");
  const Collected read = read_all({file, good});
  ASSERT_FALSE(read.errors.empty());
  EXPECT_EQ(read.errors.back().file(), file);
  EXPECT_NE(read.errors.back().message().find("gzip"), std::string::npos);
  EXPECT_EQ(read.articles.back().id, "3");
}

TEST(Plumbing, GlobsSelectFilesInDirectories) {
  TempDir dir;
  dir.write("site/a.html", "<title>A page</title><p>Text of the page about ferries and harbours.</p>");
  dir.write("site/drafts/b.html", "<title>B page</title><p>Draft text that must not be indexed at all.</p>");
  dir.write("site/c.txt", "C title\nC body");
  dir.write("site/d.page", "D title\nD body");
  ReadOptions options;
  options.exclude_globs = {"drafts/*"};
  Collected read = read_all({dir / "site"}, options);
  ASSERT_EQ(read.articles.size(), 2u);
  EXPECT_EQ(read.articles[0].title, "A page");
  EXPECT_EQ(read.articles[1].title, "C title");

  options.exclude_globs.clear();
  options.include_globs = {"*.page", "*.html"};
  read = read_all({dir / "site"}, options);
  ASSERT_EQ(read.articles.size(), 3u);  // a.html, d.page (read as text), drafts/b.html
  EXPECT_EQ(read.articles[0].title, "A page");
  EXPECT_EQ(read.articles[1].title, "D title");
  EXPECT_EQ(read.articles[2].title, "B page");
}

TEST(Plumbing, SizeCapSkipsLargeArticlesWithAWarning) {
  TempDir dir;
  const std::string big = dir.write("big.txt", "Big\n" + std::string(5000, 'x'));
  const std::string small = dir.write("small.txt", "Small\nbody");
  const std::string jsonl = dir.write("r.jsonl", "{\"id\": \"long\", \"body\": \"" + std::string(5000, 'y') +
                                                     "\"}\n{\"id\": \"short\"}\n");
  ReadOptions options;
  options.max_article_bytes = 1000;
  const Collected read = read_all({big, small, jsonl}, options);
  ASSERT_EQ(read.articles.size(), 2u);
  EXPECT_EQ(read.articles[0].title, "Small");
  EXPECT_EQ(read.articles[1].id, "short");
  ASSERT_EQ(read.errors.size(), 2u);
  EXPECT_EQ(read.errors[0].file(), big);
  EXPECT_NE(read.errors[0].message().find("size cap"), std::string::npos);
  EXPECT_EQ(read.errors[1].line(), 1u);
  EXPECT_NE(read.errors[1].message().find("size cap"), std::string::npos);
}

TEST(Plumbing, JsonlRecordWithRawHtmlIsExtracted) {
  TempDir dir;
  nlohmann::json record = {{"id", "p1"}, {"outlet", "Given Outlet"},
                           {"html", read_file(source_path("tests/fixtures/html/jsonld_graph.html"))}};
  const std::string file = dir.write("pages.jsonl", record.dump() + "\n");
  const Collected read = read_all({file});
  ASSERT_EQ(read.articles.size(), 1u);
  const Article& article = read.articles[0];
  EXPECT_EQ(article.outlet, "Given Outlet") << "the record's own fields win";
  EXPECT_EQ(article.title, "Grain barges resume Danube convoy after low-water halt");
  EXPECT_EQ(format_timestamp(*article.date), "2024-12-07T12:30:00Z");
  EXPECT_EQ(format_timestamp(*article.date, article.date_offset), "2024-12-07T14:30:00+02:00")
      << "the publisher's clock is kept";
  EXPECT_EQ(article.date_source, "jsonld");
  EXPECT_NE(article.body.find("Belene bend"), std::string::npos);
  EXPECT_TRUE(std::none_of(article.extra.begin(), article.extra.end(), [](const auto& f) { return f.first == "html"; }));
  EXPECT_EQ(provenance_of(article.provenance, "outlet"), "");
  EXPECT_EQ(provenance_of(article.provenance, "title"), "JSON-LD headline");
  const auto modified = std::find_if(article.extra.begin(), article.extra.end(),
                                     [](const auto& f) { return f.first == "date_modified"; });
  ASSERT_NE(modified, article.extra.end());
  EXPECT_EQ(modified->second, "\"2024-12-07T16:05:00+02:00\"");
}

TEST(Plumbing, TextFilesWithoutADateStayUndatedUnlessFileTimeIsAskedFor) {
  TempDir dir;
  const std::string file = dir.write("a.txt", "Title\nBody without any date.");
  Collected read = read_all({file});
  ASSERT_EQ(read.articles.size(), 1u);
  EXPECT_FALSE(read.articles[0].date) << "never invented: no date in the text is no date";
  EXPECT_EQ(read.articles[0].date_source, "");
  EXPECT_EQ(provenance_of(read.articles[0].provenance, "date"), "");

  ReadOptions options;
  options.date_from_file_time = true;
  read = read_all({file}, options);
  ASSERT_TRUE(read.articles[0].date);
  EXPECT_EQ(read.articles[0].date_source, "file-time");
  EXPECT_NE(provenance_of(read.articles[0].provenance, "date").find("file modification time"), std::string::npos);

  options.default_date = parse_date("2024-12-08");
  read = read_all({file}, options);
  EXPECT_EQ(read.articles[0].date, parse_date("2024-12-08")) << "--date wins over the file time";
  EXPECT_EQ(read.articles[0].date_source, "option");
  EXPECT_EQ(provenance_of(read.articles[0].provenance, "date"), "--date option");
}

}  // namespace
}  // namespace gazette
