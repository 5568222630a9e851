DROP INDEX activities_text_trigram;
DROP INDEX activities_text_danish;
