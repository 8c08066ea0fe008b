-- The automated analysis writes its evidence in both languages: the
-- summary and each finding's text in Chinese (summary, text) and in
-- English (summary_en, text_en), so that each reader reads the system's
-- own sentences in their language. An assessor's own evidence is in the
-- language it was written in, and leaves the English columns empty.
ALTER TABLE evidence ADD COLUMN summary_en TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN text_en TEXT NOT NULL DEFAULT '';
