"""Bytes to text: strict decoding, file kinds and their readers (pdfplumber, Office, Tesseract), the report
document (page, file or page plus attachments), the main text without chrome, and its metadata."""
