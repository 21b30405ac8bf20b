from __future__ import annotations

from knooppunten.richtext import link_terms, render_markdown


class TestRenderMarkdown:
    def test_it_renders_lists_and_emphasis(self):
        html = render_markdown("1. **Eerst** praten\n2. Dan *kiezen*")
        assert "<ol>" in html
        assert "<strong>Eerst</strong>" in html
        assert "<em>kiezen</em>" in html

    def test_a_script_tag_comes_out_harmless(self):
        html = render_markdown('Hallo <script>alert("x")</script> wereld')
        assert "<script" not in html
        assert "Hallo" in html and "wereld" in html

    def test_an_onclick_is_removed(self):
        html = render_markdown('<a href="https://vng.nl/" onclick="steal()">VNG</a>')
        assert "onclick" not in html
        assert 'href="https://vng.nl/"' in html

    def test_a_javascript_link_loses_its_href(self):
        html = render_markdown('[klik](javascript:alert(1)) en <a href="JaVaScRiPt:alert(2)">hier</a>')
        assert "javascript" not in html.lower()

    def test_style_and_iframe_are_removed(self):
        html = render_markdown('<style>body{display:none}</style><iframe src="https://x.example"></iframe>tekst')
        assert "<style" not in html and "<iframe" not in html

    def test_links_get_a_safe_rel(self):
        html = render_markdown("[RVO](https://www.rvo.nl/)")
        assert 'rel="noopener noreferrer"' in html


class TestLinkTerms:
    terms = [("WUP", "/begrippen/#wup", "Wijkuitvoeringsplan"), ("warmtenet", "/begrippen/#warmtenet", "Een net")]

    def test_it_links_the_first_use_of_a_term_once_per_page(self):
        seen: set[str] = set()
        first = link_terms("<p>Het WUP en nog eens het WUP.</p>", self.terms, seen)
        second = link_terms("<p>Weer het WUP.</p>", self.terms, seen)
        assert first.count('href="/begrippen/#wup"') == 1
        assert 'title="Wijkuitvoeringsplan"' in first
        assert "href" not in second

    def test_it_matches_whole_words_only_and_ignores_case(self):
        html = link_terms("<p>Een Warmtenetwerk en een Warmtenet.</p>", self.terms, set())
        assert ">Warmtenet</a>" in html
        assert "Warmtenetwerk" in html and ">Warmtenetwerk<" not in html

    def test_it_leaves_text_inside_links_alone(self):
        html = link_terms('<p><a href="https://x.example">het WUP</a></p>', self.terms, set())
        assert "/begrippen/#wup" not in html

    def test_short_everyday_words_are_not_linked(self):
        terms = [("Fase", "/begrippen/#fase", "Een deel"), ("Spoor", "/begrippen/#spoor", "Een blik")]
        html = link_terms("<p>Het spoor uit fase 2.</p>", terms, set())
        assert "href" not in html

    def test_short_abbreviations_and_longer_words_are_still_linked(self):
        terms = [
            ("VvE", "/begrippen/#vve", "De vereniging"),
            ("HT", "/begrippen/#ht", "Hoge temperatuur"),
            ("Nazorg", "/begrippen/#nazorg", "Hulp na de overstap"),
        ]
        html = link_terms("<p>De VvE kiest HT-warmte en regelt de nazorg.</p>", terms, set())
        assert ">VvE</a>" in html and ">HT</a>" in html and ">nazorg</a>" in html
