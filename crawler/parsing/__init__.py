"""The parsing stage: a report text turned into its sections, standard tables, figures and checks."""
