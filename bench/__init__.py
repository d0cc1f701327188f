"""The benchmark (`make bench`) and the synthetic corpus it measures.

    bench/run.py        settings, one size measured end to end, main()
    bench/measure.py    a subprocess with its peak memory and CPU time; gzip sizes
    bench/floor.py      the plain MkDocs + Material floor: its mkdocs.yml and pages
    bench/sizes.py      the search index (Pagefind's bundle) and the finder data, sized
    bench/browser.py    serving a built site; page weight and finder timing in Chromium
    bench/search.py     a first search query and further ones in Chromium: bytes transferred, time to result
    bench/search_options.py  the same search with Material's worker and a lean index (issue 18's other option)
    bench/rebuild.py    saving one YAML file to the rebuilt page under `mkdocs serve` (rebuild_s) and `make preview` (preview_s)
    bench/report.py     the Markdown table and the targets of issues 9, 17 and 18
    bench/synthetic.py  the synthetic corpus (`python -m bench.synthetic N DIR`)
"""
