/* test_document.c — the upload whitelist (content sniffing) and the display-name cleaner (no database). */
#include "unit.h"
#include "document.h"

#include <string.h>

static const char *sniff(const char *bytes, size_t len, const char *name)
{
	const char *mime;
	return doc_sniff((const unsigned char *)bytes, len, name, &mime);
}

TEST(doc_sniff_accepts_whitelisted_content_whatever_the_name)
{
	CHECK_STR(sniff("%PDF-1.7\n", 9, "x.exe"), "pdf");
	CHECK_STR(sniff("\x89PNG\r\n\x1a\n....", 12, "a.pdf"), "png");
	CHECK_STR(sniff("\xff\xd8\xff\xe0", 4, NULL), "jpeg");
	CHECK_STR(sniff("GIF89a..", 8, "g"), "gif");
	CHECK_STR(sniff("a;b\n1;2\n", 8, "list.CSV"), "csv");
	CHECK_STR(sniff("just text\n", 10, "notes"), "txt");
}

TEST(doc_sniff_tells_office_containers_apart)
{
	static const char odt[] = "PK\x03\x04" "..........................mimetypeapplication/vnd.oasis.opendocument.text";
	static const char docx[] = "PK\x03\x04....[Content_Types].xml....word/document.xml";
	static const char xlsx[] = "PK\x03\x04....[Content_Types].xml....xl/workbook.xml";
	static const char zip[] = "PK\x03\x04....payload.bin";
	CHECK_STR(sniff(odt, sizeof odt - 1, "a.odt"), "odt");
	CHECK_STR(sniff(docx, sizeof docx - 1, "a.docx"), "docx");
	CHECK_STR(sniff(xlsx, sizeof xlsx - 1, "a.xlsx"), "xlsx");
	CHECK(sniff(zip, sizeof zip - 1, "a.docx") == NULL);
}

TEST(doc_sniff_refuses_binaries_and_empty_files)
{
	CHECK(sniff("MZ\x90\x00\x03", 5, "invoice.pdf") == NULL);
	CHECK(sniff("\x7f" "ELF", 4, "a.txt") == NULL);
	CHECK(sniff("text with a \x01 control", 22, "a.txt") == NULL);
	CHECK(sniff("", 0, "a.txt") == NULL);
}

TEST(doc_clean_name_keeps_the_last_component_without_quotes_or_controls)
{
	char out[256];
	doc_clean_name("../../etc/passwd", out, sizeof out);
	CHECK_STR(out, "passwd");
	doc_clean_name("C:\\Users\\me\\Offer \"2026\".pdf", out, sizeof out);
	CHECK_STR(out, "Offer 2026.pdf");
	doc_clean_name("a\r\nContent-Type: x;.txt", out, sizeof out);
	CHECK_STR(out, "aContent-Type: x.txt");
	doc_clean_name("..", out, sizeof out);
	CHECK_STR(out, "document");
	doc_clean_name(NULL, out, sizeof out);
	CHECK_STR(out, "document");
	doc_clean_name("Prezzi è più.csv", out, sizeof out);
	CHECK_STR(out, "Prezzi è più.csv");
}
