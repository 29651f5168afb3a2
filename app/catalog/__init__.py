"""Programs, organizations and the vocabulary: records, validation, import and export."""
