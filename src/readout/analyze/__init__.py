"""analyze: the questions analysts ask of the store — timelines, protocol rank, networks,
comparisons of reports, absences, title histories — each a function taking a Store."""
