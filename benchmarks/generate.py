"""A deterministic generator of realistic blog posts, so benchmarks measure the same corpus.

Each post has YAML front matter, headings, paragraphs, lists, links, quotes and code blocks;
about half are written in a conversational voice and half in a broadcast voice, so every rule
has something to find. The same ``--seed`` always gives byte-identical files.

    python benchmarks/generate.py OUT_DIR --posts 1000 --words 1200 --seed 1
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

AUTHORS = ("Ada Lovelace", "Grace Hopper", "Alan Kay", "Barbara Liskov", "Ken Thompson", "Mo Ali")
TAGS = ("python", "community", "writing", "release", "events", "tutorial", "news", "design")
TOPICS = (
    "static sites",
    "our meetup",
    "the new release",
    "writing tests",
    "reader mail",
    "open source",
    "code review",
    "the build",
    "accessibility",
    "the roadmap",
)
CONVERSATIONAL = (
    "Have you ever wondered why {topic} feels harder than it should?",
    "I'll be honest: we got {topic} wrong the first time, and you told us so.",
    "So here's the thing about {topic} that nobody mentions.",
    "Thanks to {person} for pointing out a bug in {topic} last week.",
    "What would you change about {topic}? Let me know in the comments.",
    "We're still learning, and your replies keep us honest.",
    "You don't need a big team to get {topic} right; you need a few good questions.",
    "As {person} put it, the best docs answer the question you were about to ask.",
    "I asked a few of you about {topic}, and the answers surprised me.",
    "Let's walk through it together, one small step at a time.",
    "If you've tried this and it didn't work, reply and tell me what happened.",
    "Honestly, we didn't expect so many of you to show up.",
)
BROADCAST = (
    "Our award-winning platform delivers best-in-class {topic} solutions for enterprises.",
    "The company is pleased to announce the launch of a revolutionary approach to {topic}.",
    "Leverage synergies across the organisation to maximise the value of {topic}.",
    "Over 10,000 customers trust our industry-leading {topic} technology every day.",
    "The implementation of the optimisation of {topic} facilitates the enhancement of outcomes.",
    "Sign up now and get 50% off our premium {topic} package, for a limited time only!",
    "This game-changing innovation in {topic} is unprecedented in the history of the industry.",
    "Stakeholders should ensure alignment with the strategic objectives regarding {topic}.",
    "The utilisation of comprehensive methodologies enables the realisation of {topic} goals.",
    "We are the number one provider of {topic}, as ranked by leading analysts.",
)
NEUTRAL = (
    "The first version of {topic} shipped in March, and it has changed a lot since then.",
    "Most of the work went into making the common case fast and the rare case possible.",
    "A short example shows the idea better than a long explanation.",
    "The numbers below come from a laptop, so treat them as a rough guide.",
    "There are three parts to it: reading the files, checking them, and writing the report.",
    "It took two weeks, most of which went into tests.",
    "Small changes add up when every post goes through the same steps.",
    "The old approach worked, but it was slow on large sites.",
)
CODE = (
    "```python\nfor post in posts:\n    print(post.title)\n```",
    "```sh\npip install auditor\nauditor build .\n```",
    "    def hello():\n        return 'world'",
)


def sentence(rng: random.Random, style: str) -> str:
    """One sentence in the post's voice, sometimes a neutral one for variety."""
    pool = CONVERSATIONAL if style == "conversational" else BROADCAST
    if rng.random() < 0.35:
        pool = NEUTRAL
    return rng.choice(pool).format(topic=rng.choice(TOPICS), person=rng.choice(AUTHORS))


def paragraph(rng: random.Random, style: str, words: list[int]) -> str:
    """A paragraph of 2-6 sentences, with a link now and then."""
    parts = [sentence(rng, style) for _ in range(rng.randint(2, 6))]
    if rng.random() < 0.3:
        i = rng.randrange(len(parts))
        parts[i] += f" See [the notes](https://example.org/notes/{rng.randint(1, 999)})."
    text = " ".join(parts)
    words[0] += len(text.split())
    return text


def block(rng: random.Random, style: str, words: list[int]) -> str:
    """One Markdown block: mostly paragraphs, sometimes a heading, list, quote or code."""
    roll = rng.random()
    if roll < 0.10:
        return f"## {sentence(rng, style).rstrip('.?!')}"
    if roll < 0.20:
        items = [f"- {sentence(rng, style)}" for _ in range(rng.randint(2, 5))]
        words[0] += sum(len(i.split()) for i in items)
        return "\n".join(items)
    if roll < 0.26:
        return "> " + paragraph(rng, style, words)
    if roll < 0.31:
        return rng.choice(CODE)
    return paragraph(rng, style, words)


def post(rng: random.Random, number: int, words: int) -> str:
    """One whole post: front matter, then blocks until the word budget is spent."""
    style = "conversational" if rng.random() < 0.5 else "broadcast"
    topic = rng.choice(TOPICS)
    date = f"20{rng.randint(18, 24):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    authors = rng.sample(AUTHORS, rng.randint(1, 2))
    tags = rng.sample(TAGS, rng.randint(1, 3))
    head = [
        "---",
        f'title: "Post {number}: notes on {topic}"',
        f"date: {date}",
        f"authors: [{', '.join(authors)}]",
        f"tags: [{', '.join(tags)}]",
        f'summary: "A {style} post about {topic}."',
        "---",
        "",
    ]
    count = [0]
    body: list[str] = []
    while count[0] < words:
        body.append(block(rng, style, count))
    return "\n".join(head) + "\n\n".join(body) + "\n"


def generate(out: Path, posts: int, words: int = 1200, seed: int = 1) -> list[Path]:
    """Write ``posts`` Markdown files into ``out``/posts; same arguments, same bytes."""
    rng = random.Random(seed)
    folder = out / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(1, posts + 1):
        path = folder / f"post-{n:05d}.md"
        path.write_text(post(rng, n, words), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write posts/ into")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--words", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.posts, args.words, args.seed)


if __name__ == "__main__":
    main()
