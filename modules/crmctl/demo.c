/* demo.c — `crmctl demo`: realistic Italian and English demo data for a fresh installation. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "util.h"
#include "validate.h"

enum stmt { STMT_HAS_CONTACTS, STMT_CUSTOMER, STMT_LEAD, STMT_CONTACT, STMT_CONNECT, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_HAS_CONTACTS] = "SELECT COUNT(*) FROM contacts",
	[STMT_CUSTOMER] =
	    "INSERT INTO customers (name, type, email, phone, phone_norm, website, vat, city, country) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_LEAD] =
	    "INSERT INTO leads (first_name, last_name, company, email, phone, phone_norm, language, source, status) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_CONTACT] =
	    "INSERT INTO contacts (first_name, last_name, email, mobile_phone, mobile_phone_norm, work_phone, "
	    "work_phone_norm, job_title, language, timezone, contact_type, source, do_not_call, "
	    "receives_newsletter, active, status, birthday) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'database', ?, ?, ?, ?, ?)",
	[STMT_CONNECT] = "INSERT INTO connections (contact_id, customer_id, is_primary) VALUES (?, ?, 1)",
};

static const char *const it_first[] = { "Giulia", "Marco", "Francesca", "Alessandro", "Chiara", "Luca",
	"Sofia", "Matteo", "Martina", "Lorenzo", "Elena", "Andrea", "Valentina", "Davide", "Federica",
	"Niccolò", "Beatrice", "Tommaso", "Ilaria", "Gabriele", "Noemi", "Riccardo", "Aurora", "Simone" };
static const char *const it_last[] = { "Rossi", "Bianchi", "Esposito", "Romano", "Colombo", "Ricci",
	"Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
	"Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrari",
	"D'Angelo", "Galli", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra",
	"Coppola", "De Santis", "Fabbri", "Marchetti", "Parisi", "Villa", "Cattaneo", "Pellegrini",
	"Palumbo", "Sanna", "Farina", "Rizzi", "Monti", "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza",
	"Testa", "Grassi", "Pellegrino", "Carbone", "Giuliani", "Benedetti", "Barone", "Rossetti", "Caputo",
	"Montanari", "Guerra", "Palmieri", "Bernardi", "Martino", "Fiore", "De Rosa", "Ferri", "Lucchesi" };
static const char *const en_first[] = { "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah",
	"Mia", "Jack", "Ivy", "Charlie", "Lily", "Thomas", "Grace", "James", "Freya", "William", "Emily",
	"Zoë", "Chloé", "Siobhán", "Seán", "Renée", "José" };
static const char *const en_last[] = { "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson",
	"Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
	"Green", "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis", "James", "Phillips",
	"Mason", "Mitchell", "Rose", "Davis", "Rodríguez", "Cox", "Alexander", "Garden", "Campbell",
	"Johnston", "Moore", "Smyth", "O'Neill", "Doherty", "Stewart", "Quinn", "Murphy", "Graham",
	"Mc Laughlin", "Hamilton", "Murray", "Hughes", "Robertson", "Thomson", "Scott", "Macdonald",
	"Reid", "Clark", "Ross", "Young", "Watson", "Paterson", "Morrison", "Bowen-Jones", "Fitzgerald-Hart",
	"Ashworth-Lee", "Beaumont", "Brontë", "Lancaster", "Price", "Bennett", "Gray", "Cooper", "Ward" };
static const char *const companies[] = { "Acme", "Fratelli", "Officine", "Northwind", "Meridian",
	"Tessiture", "Blue Harbour", "Costruzioni", "Alpine", "Vetreria", "Greenfield", "Caseificio",
	"Pioneer", "Logistica", "Brightstone", "Ceramiche", "Harbourview", "Cantina", "Redwood", "Farmacia" };
static const char *const company_suffix[] = { "S.r.l.", "S.p.A.", "Ltd", "plc", "& Co.", "S.n.c.", "Group", "LLP" };
static const char *const cities_it[] = { "Milano", "Roma", "Torino", "Bologna", "Firenze", "Napoli",
	"Genova", "Verona", "Padova", "Bari", "Trieste", "Cagliari" };
static const char *const cities_en[] = { "London", "Manchester", "Leeds", "Bristol", "Edinburgh",
	"Glasgow", "Cardiff", "Belfast", "York", "Oxford" };
static const char *const jobs[] = { "Purchasing manager", "Responsabile acquisti", "CEO",
	"Amministratore delegato", "Office manager", "Sales director", "Direttore commerciale",
	"IT manager", "Accountant", "Contabile", "Project manager", "Marketing specialist" };
static const char *const ctypes[] = { "customer_contact", "partner_contact", "vendor_contact",
	"private_customer", "other" };
static const char *const cutypes[] = { "customer", "customer", "customer", "partner", "vendor", "other" };
static const char *const lead_status[] = { "new", "contacted", "qualified", "lost" };
static const char *const lead_source[] = { "internet", "email", "business_card", "other" };

#define PICK(a, r) (a[(r) % (sizeof(a) / sizeof((a)[0]))])

static unsigned long long rng = 0x2545F4914F6CDD1DULL;

static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 16);
}

/* ASCII-folds a name for the mailbox part: "Niccolò D'Angelo" -> "niccolo.dangelo". */
static void mailbox(char *out, size_t sz, const char *first, const char *last)
{
	size_t o = 0;
	const char *parts[2] = { first, last };
	for (int p = 0; p < 2; p++) {
		for (const unsigned char *s = (const unsigned char *)parts[p]; *s && o + 2 < sz; s++) {
			if (*s >= 'A' && *s <= 'Z')
				out[o++] = (char)(*s + 32);
			else if ((*s >= 'a' && *s <= 'z'))
				out[o++] = (char)*s;
			else if (*s == 0xc3 && s[1]) {
				unsigned c = s[1];
				s++;
				out[o++] = c >= 0xa8 && c <= 0xab ? 'e' : c >= 0xb2 && c <= 0xb6 ? 'o' :
				    c >= 0xb9 && c <= 0xbc ? 'u' : c >= 0xac && c <= 0xaf ? 'i' : 'a';
			}
		}
		if (p == 0 && o + 1 < sz)
			out[o++] = '.';
	}
	out[o] = '\0';
}

static int insert_all(int ncontacts, int ncustomers, int nleads)
{
	char name[200], email[300], phone[40], norm[24], phone2[40], norm2[24], vat[20], web[200];
	long long first_customer = 0, first_contact = 0;
	struct db_res res;
	int rc;

	for (int i = 0; i < ncustomers; i++) {
		int it = i % 3 != 0;
		const char *base = PICK(companies, next_rand());
		const char *other = it ? PICK(it_last, next_rand()) : PICK(en_last, next_rand());
		snprintf(name, sizeof name, "%s %s %s", base, other, PICK(company_suffix, next_rand() + (it ? 0 : 2)));
		mailbox(web, sizeof web, base, other);
		for (char *p = web; *p; p++)
			if (*p == '.' || *p == ' ')
				*p = '-';
		snprintf(email, sizeof email, "info@%s.%s", web, it ? "it" : "co.uk");
		snprintf(phone, sizeof phone, it ? "+39 02 %04u %04u" : "+44 20 %04u %04u", next_rand() % 10000, next_rand() % 10000);
		phone_normalize(phone, norm, sizeof norm);
		snprintf(vat, sizeof vat, it ? "IT%011u" : "GB%09u", next_rand() % 1000000000u);
		{
			char site[260];
			snprintf(site, sizeof site, "https://www.%s.%s", web, it ? "it" : "co.uk");
			rc = db_exec(stmts[STMT_CUSTOMER], DB_ARGS(A_STR(name), A_STR(PICK(cutypes, next_rand())),
			    A_STR(email), A_STR(phone), A_STR(norm), A_STR(site), A_STR(vat),
			    A_STR(it ? PICK(cities_it, next_rand()) : PICK(cities_en, next_rand())),
			    A_STR(it ? "Italia" : "United Kingdom")), &res);
		}
		if (rc != DB_OK)
			return rc;
		if (!first_customer)
			first_customer = (long long)res.insert_id;
		db_res_free(&res);
	}
	for (int i = 0; i < nleads; i++) {
		int it = i % 2 == 0;
		const char *fn = it ? PICK(it_first, next_rand()) : PICK(en_first, next_rand());
		const char *ln = it ? PICK(it_last, next_rand()) : PICK(en_last, next_rand());
		mailbox(email, sizeof email - 20, fn, ln);
		strcat(email, it ? "@esempio.it" : "@example.co.uk");
		snprintf(name, sizeof name, "%s %s", PICK(companies, next_rand()), it ? "Italia" : "UK");
		snprintf(phone, sizeof phone, it ? "+39 3%02u %07u" : "+44 7%03u %06u", next_rand() % 100, next_rand() % 1000000);
		phone_normalize(phone, norm, sizeof norm);
		rc = db_exec(stmts[STMT_LEAD], DB_ARGS(A_STR(fn), A_STR(ln), A_STR(name), A_STR(email),
		    A_STR(phone), A_STR(norm), A_STR(it ? "it" : "en"), A_STR(PICK(lead_source, next_rand())),
		    A_STR(PICK(lead_status, next_rand()))), NULL);
		if (rc != DB_OK)
			return rc;
	}
	for (int i = 0; i < ncontacts; i++) {
		int it = i % 5 < 3, connected = next_rand() % 10 < 6, has_mail = next_rand() % 10 < 9;
		const char *fn = it ? PICK(it_first, next_rand()) : PICK(en_first, next_rand());
		const char *ln = it ? PICK(it_last, next_rand()) : PICK(en_last, next_rand());
		char bday[11];
		unsigned r = next_rand();
		mailbox(email, sizeof email - 40, fn, ln);
		snprintf(email + strlen(email), 40, "%u@%s", r % 100, it ? "esempio.it" : "example.co.uk");
		snprintf(phone, sizeof phone, it ? "+39 3%02u %03u %04u" : "+44 7%03u %03u %03u",
		    next_rand() % 100, next_rand() % 1000, next_rand() % 10000);
		phone_normalize(phone, norm, sizeof norm);
		snprintf(phone2, sizeof phone2, it ? "02 %04u %04u" : "020 %04u %04u", next_rand() % 10000, next_rand() % 10000);
		phone_normalize(phone2, norm2, sizeof norm2);
		snprintf(bday, sizeof bday, "%04u-%02u-%02u", 1950 + next_rand() % 55, 1 + next_rand() % 12, 1 + next_rand() % 28);
		rc = db_exec(stmts[STMT_CONTACT], DB_ARGS(A_STR(fn), A_STR(ln), has_mail ? A_STR(email) : A_NULL,
		    A_STR(phone), A_STR(norm), A_STR(phone2), A_STR(norm2), A_STR(PICK(jobs, next_rand())),
		    A_STR(it ? "it" : "en"), A_STR(it ? "Europe/Rome" : "Europe/London"),
		    A_STR(PICK(ctypes, next_rand())), A_INT(next_rand() % 12 == 0), A_INT(has_mail),
		    A_INT(next_rand() % 15 != 0), A_STR(connected ? "contact" : "draft"), A_STR(bday)), &res);
		if (rc != DB_OK)
			return rc;
		if (!first_contact)
			first_contact = (long long)res.insert_id;
		if (connected) {
			long long cid = (long long)res.insert_id;
			db_res_free(&res);
			rc = db_exec(stmts[STMT_CONNECT], DB_ARGS(A_INT(cid),
			    A_INT(first_customer + (long long)(next_rand() % (unsigned)ncustomers))), NULL);
			if (rc != DB_OK)
				return rc;
		} else {
			db_res_free(&res);
		}
	}
	return DB_OK;
}

int crmctl_reindex(int quiet);

int crmctl_demo(void)
{
	struct db_res res;
	int rc;

	if (db_exec(stmts[STMT_HAS_CONTACTS], DB_NOARGS, &res) != DB_OK)
		return 1;
	if (db_ll(&res, 0, 0) > 0) {
		printf("demo: the database already holds contacts; nothing loaded\n");
		db_res_free(&res);
		return 0;
	}
	db_res_free(&res);
	if ((rc = db_begin()) == DB_OK) {
		rc = insert_all(360, 60, 80);
		if (rc == DB_OK)
			rc = db_commit();
		else
			db_rollback();
	}
	if (rc != DB_OK) {
		fprintf(stderr, "demo: failed: %s\n", db_error());
		return 1;
	}
	if (crmctl_reindex(1) != 0)
		return 1;
	printf("demo: 360 contacts, 60 customers, 80 leads loaded\n");
	return 0;
}
