"""Directory: countries, agencies, the Council Presidency calendar and each country's SPOC."""
