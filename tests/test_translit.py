"""Serbian Latin -> Cyrillic as a Serbian editor writes it: the words and sentences that common transliteration
libraries get wrong (digraphs across a prefix, capitals, addresses, names, numerals, units, codes)."""

from __future__ import annotations

import pytest

from dritare import translit

KEEP = ("KOMF", "OFAP", "KEC", "EU", "IATI", "Covid-19", "Open Society Foundations", "Roma & Ashkalia "
        "Documentation Center")

WORDS = [
    # digraphs that are one letter
    ("ljubav", "љубав"), ("njiva", "њива"), ("džep", "џеп"), ("Njegoš", "Његош"), ("odgajanje", "одгајање"),
    ("pridružiti", "придружити"), ("budžet", "буџет"), ("budžetsko", "буџетско"), ("Merdžan", "Мерџан"),
    ("zapošljavanje", "запошљавање"), ("uključivanje", "укључивање"), ("staranje", "старање"),
    ("narudžbina", "наруџбина"), ("svedočanstvo", "сведочанство"),
    # digraphs that are two letters: a prefix before a stem, or a loanword
    ("nadživeti", "надживети"), ("nadživljavati", "надживљавати"), ("podžupan", "поджупан"),
    ("podžupanija", "поджупанија"), ("odžaliti", "оджалити"), ("nadžnjeti", "наджњети"), ("podžanr", "поджанр"),
    ("predželudac", "преджелудац"), ("nadžupnik", "наджупник"), ("odživeti", "одживети"),
    ("injekcija", "инјекција"), ("injekcije", "инјекције"), ("konjunkcija", "конјункција"),
    ("konjunktura", "конјунктура"), ("konjugacija", "конјугација"), ("vanjezički", "ванјезички"),
    ("Tanjug", "Танјуг"), ("TANJUG", "ТАНЈУГ"), ("anjon", "анјон"), ("injektor", "инјектор"),
    ("panjugoslovenski", "панјугословенски"),
    # capitals follow the word
    ("Ljubiša", "Љубиша"), ("LJUBIŠA", "ЉУБИША"), ("Njive", "Њиве"), ("NJIVE", "ЊИВЕ"), ("Džaković", "Џаковић"),
    ("DŽAKOVIĆ", "ЏАКОВИЋ"), ("LjUBIŠA", "ЉУБИША"), ("ǈubiša", "Љубиша"), ("ǆep", "џеп"),
    # đ is one letter; "dj" stays as it is written
    ("Đakovica", "Ђаковица"), ("đak", "ђак"), ("ĐAK", "ЂАК"), ("međunarodne", "међународне"), ("adjektiv", "адјектив"),
    ("sprovodjenju", "спроводјењу"), ("Djordje", "Дјордје"),
    # acronyms written in Serbian are Serbian; those of the list stay
    ("KDU", "КДУ"), ("OEBS", "ОЕБС"), ("KOMF", "KOMF"), ("EU", "EU"), ("IATI", "IATI"), ("KEC", "KEC"),
]

SENTENCES = [
    ("Projekat KOSINT 2020 sprovodi KEC.", "Пројекат КОСИНТ 2020 спроводи KEC."),
    ("Saradnja sa EU i KOMF-om.", "Сарадња са EU и KOMF-ом."),
    ("Mere protiv Covid-19 pandemije.", "Мере против Covid-19 пандемије."),
    ("Finansira ga Open Society Foundations (OSF).", "Финансира га Open Society Foundations (ОСФ)."),
    ("Roma & Ashkalia Documentation Center sarađuje.", "Roma & Ashkalia Documentation Center сарађује."),
    ("Roma &amp; Ashkalia Documentation Center sarađuje.", "Roma &amp; Ashkalia Documentation Center сарађује."),
    ("Više na https://www.kec-ks.org/projekti/kosint?lang=sr.", "Више на https://www.kec-ks.org/projekti/kosint?lang=sr."),
    ("Pišite na info@komf-kosovo.org ili pozovite.", "Пишите на info@komf-kosovo.org или позовите."),
    ("Sajt www.example.org/vesti je nov.", "Сајт www.example.org/vesti је нов."),
    ("Adresa kec-ks.org radi.", "Адреса kec-ks.org ради."),
    ("(https://example.org/a)", "(https://example.org/a)"),
    ("XXI vek i II faza", "XXI век и II фаза"),
    ("Faza I projekta", "Фаза I пројекта"),
    ("I tako je počelo.", "И тако је почело."),
    ("Kraj. I onda", "Крај. И онда"),
    ("MI SMO TU", "МИ СМО ТУ"),
    ("Poglavlje IV, član 12", "Поглавље IV, члан 12"),
    ("Put od 5 km i 10 m širine", "Пут од 5 km и 10 m ширине"),
    ("Potrošnja 120 kWh godišnje", "Потрошња 120 kWh годишње"),
    ("Emisija CO2 i PM10", "Емисија CO2 и PM10"),
    ("Aktivnost A1 i rezultat ER1", "Активност A1 и резултат ER1"),
    ("Budžet 535.295,52 € za 2018.", "Буџет 535.295,52 € за 2018."),
    ("Održan je 9. marta 2017.", "Одржан је 9. марта 2017."),
    ("„Kosovska inicijativa“ i ‚mala‘", "„Косовска иницијатива“ и ‚мала‘"),
    ("Stranica na Facebook mreži", "Страница на Facebook мрежи"),
    ("Video na YouTube kanalu", "Видео на YouTube каналу"),
    ("Opština Prishtinë/Priština", "Општина Prishtinë/Приштина"),
    ("Syri i Vizionit, Syri", "Syri и Визионит, Syri"),
    ("Ministarstvo rada i socijalnog staranja", "Министарство рада и социјалног старања"),
    ("Habit Hajredini i Gani Ismaili", "Хабит Хајредини и Гани Исмаили"),
    ("Kosovo – 2018–2022", "Косово – 2018–2022"),
    ("R&amp;D i &#34;navodnici&#34;", "Р&amp;Д и &#34;наводници&#34;"),
    ("već napisano ћирилицом", "већ написано ћирилицом"),
    ("Ljubiša i LJILJANA", "Љубиша и ЉИЉАНА"),
    ("Nadživeli su podžupana.", "Надживели су поджупана."),
    ("Ne tako, nego \ue000Kosova Sot\ue001", "Не тако, него \ue000Kosova Sot\ue001"),
]


@pytest.mark.parametrize("latin, cyrillic", WORDS + SENTENCES)
def test_serbian_latin_is_written_in_cyrillic_as_an_editor_would(latin, cyrillic):
    assert translit.transformer(translit.Transliterator.name, KEEP).text(latin) == cyrillic


def test_the_list_has_at_least_80_words_and_sentences():
    assert len(WORDS) + len(SENTENCES) >= 80


def test_cyrillic_is_left_as_it_is_and_the_transform_is_idempotent():
    t = translit.transformer(translit.Transliterator.name, KEEP)  # (with the same list: Covid-19 stays)
    for latin, cyrillic in WORDS + SENTENCES:
        assert t.text(cyrillic) == cyrillic


def test_gettext_placeholders_are_kept_in_catalogs():
    t = translit.transformer(translit.Transliterator.name, (), placeholders=True)
    assert t.text("Nije prevedeno; jezik: %(language)s") == "Није преведено; језик: %(language)s"
    assert t.text("strana %(number)d od %(total)d, 100%%") == "страна %(number)d од %(total)d, 100%%"


def test_the_marker_disappears_in_latin_and_keeps_text_in_cyrillic():
    assert translit.unmarked("Na -{Facebook}- stranici") == "Na Facebook stranici"
    kept = translit.kept("Na -{Facebook}- stranici")
    assert translit.released(translit.transformer(translit.Transliterator.name).text(kept)) == "На Facebook страници"
