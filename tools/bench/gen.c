/* gen.c — writes a realistic CRM data set (contacts, customers, leads, connections, history, comments,
 * name-search words, optional custom values and consents) as TSV files for LOAD DATA.
 *
 * Usage: gen DIR N CUSTOMERS LEADS [--user ID] [--fields INDUSTRY,VIP,EMPLOYEES,SINCE] [--consents A,B]
 * Deterministic (fixed seed): the same arguments give the same files. Ids are explicit (1..count), so
 * the files can be loaded with foreign and unique checks off. Words follow modules/core/words.c: one
 * row per word of a customer's name and of a lead's "first last" and company, holding the text from
 * that word on, at most WORD_MAX_CHARS characters (words_split is the product's own splitter). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include "validate.h"
#include "words.h"

static const char *const it_first[] = { "Giulia", "Marco", "Francesca", "Alessandro", "Chiara", "Luca",
	"Sofia", "Matteo", "Martina", "Lorenzo", "Elena", "Andrea", "Valentina", "Davide", "Federica",
	"Niccolò", "Beatrice", "Tommaso", "Ilaria", "Gabriele", "Noemi", "Riccardo", "Aurora", "Simone",
	"Giorgia", "Paolo", "Alessia", "Stefano", "Sara", "Giuseppe", "Anna", "Francesco", "Laura",
	"Antonio", "Roberta", "Giovanni", "Silvia", "Pietro", "Cristina", "Emanuele", "Lucía", "Mattia",
	"Greta", "Filippo", "Camilla", "Edoardo", "Arianna", "Nicolò", "Elisa", "Michele", "Bianca",
	"Raffaele", "Caterina", "Salvatore", "Irene", "Vincenzo", "Marta", "Domenico", "Ludovica", "Fabrizio" };
static const char *const it_last[] = { "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano",
	"Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
	"Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi",
	"Caruso", "D'Angelo", "Galli", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo",
	"Serra", "Coppola", "De Santis", "Fabbri", "Marchetti", "Parisi", "Villa", "Cattaneo", "Pellegrini",
	"Palumbo", "Sanna", "Farina", "Rizzi", "Monti", "Morelli", "Amato", "Silvestri", "Mazza", "Testa",
	"Grassi", "Pellegrino", "Carbone", "Giuliani", "Benedetti", "Barone", "Rossetti", "Caputo",
	"Montanari", "Guerra", "Palmieri", "Bernardi", "Martino", "Fiore", "De Rosa", "Ferri", "Lucchesi",
	"Bellini", "Basile", "Riva", "Donati", "Piras", "Vitali", "Battaglia", "Sartori", "Neri", "Costantini",
	"Milani", "Pagano", "Ruggiero", "Sala", "Orlando", "Damico", "Bassi", "Valentini", "Marini",
	"Zanetti", "Negri", "Gatti", "Càrdena", "Nicolò", "Dell'Acqua", "Lo Russo", "Di Stefano", "Cocco",
	"Poggi", "Tedesco", "Messina", "Fumagalli", "Brambilla", "Pozzi", "Bonetti", "Mazzoleni", "Sorrentino" };
static const char *const en_first[] = { "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah",
	"Mia", "Jack", "Ivy", "Charlie", "Lily", "Thomas", "Grace", "James", "Freya", "William", "Emily",
	"Zoë", "Chloé", "Siobhán", "Seán", "Renée", "José", "Oscar", "Sophie", "Leo", "Evie", "Arthur",
	"Poppy", "Henry", "Ella", "Alfie", "Isabella", "Jacob", "Rosie", "Freddie", "Daisy", "Theo",
	"Florence", "Archie", "Matilda", "Joshua", "Phoebe", "Samuel", "Eleanor", "Daniel", "Alice",
	"Benjamin", "Harriet", "Aoife", "Niamh", "Eoin", "Ciarán", "Dáire", "Zoé", "Noël", "Gaëlle" };
static const char *const en_last[] = { "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson",
	"Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
	"Green", "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis", "James", "Phillips",
	"Mason", "Mitchell", "Rose", "Davis", "Rodríguez", "Cox", "Alexander", "Garden", "Campbell",
	"Johnston", "Moore", "Smyth", "O'Neill", "Doherty", "Stewart", "Quinn", "Murphy", "Graham",
	"Mc Laughlin", "Hamilton", "Murray", "Hughes", "Robertson", "Thomson", "Scott", "Macdonald",
	"Reid", "Clark", "Ross", "Young", "Watson", "Paterson", "Morrison", "Bowen-Jones", "Fitzgerald-Hart",
	"Ashworth-Lee", "Beaumont", "Brontë", "Lancaster", "Price", "Bennett", "Gray", "Cooper", "Ward",
	"Turner", "Hill", "Edwards", "Collins", "Stevens", "Harris", "Baker", "Adams", "Carter", "King",
	"Lee", "Allen", "Parker", "Morris", "Bell", "Kelly", "Howard", "Fletcher", "Chapman", "Dixon",
	"Hunt", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker",
	"Fisher", "Stone", "O'Brien", "Ní Bhriain", "Müller", "Ó Súilleabháin", "Sánchez", "Lefèvre" };
static const char *const companies[] = { "Acme", "Fratelli", "Officine", "Northwind", "Meridian",
	"Tessiture", "Blue Harbour", "Costruzioni", "Alpine", "Vetreria", "Greenfield", "Caseificio",
	"Pioneer", "Logistica", "Brightstone", "Ceramiche", "Harbourview", "Cantina", "Redwood", "Farmacia",
	"Studio", "Impresa", "Trasporti", "Elettronica", "Meccanica", "Pasticceria", "Oakridge", "Silverline",
	"Kingsbridge", "Westfield", "Sunrise", "Arcadia", "Falegnameria", "Autoricambi", "Tipografia",
	"Consulting", "Software", "Riverside", "Highland", "Edilizia", "Agricola", "Ottica", "Libreria",
	"Gioielleria", "Hotel", "Ristorante", "Assicurazioni", "Immobiliare", "Lavanderia", "Marmi" };
/* five Italian, then five English */
static const char *const company_suffix[] = { "S.r.l.", "S.p.A.", "S.n.c.", "S.a.s.", "& Figli",
	"Ltd", "plc", "& Co.", "Group", "LLP" };
static const char *const cities_it[] = { "Milano", "Roma", "Torino", "Bologna", "Firenze", "Napoli",
	"Genova", "Verona", "Padova", "Bari", "Trieste", "Cagliari", "Forlì", "Cantù", "Palermo", "Brescia" };
static const char *const cities_en[] = { "London", "Manchester", "Leeds", "Bristol", "Edinburgh",
	"Glasgow", "Cardiff", "Belfast", "York", "Oxford", "Dublin", "Cork" };
static const char *const mail_it[] = { "gmail.com", "libero.it", "esempio.it", "tiscali.it", "alice.it", "pec.it" };
static const char *const mail_en[] = { "gmail.com", "example.co.uk", "outlook.com", "btinternet.com", "example.ie" };
static const char *const jobs[] = { "Purchasing manager", "Responsabile acquisti", "CEO",
	"Amministratore delegato", "Office manager", "Sales director", "Direttore commerciale",
	"IT manager", "Accountant", "Contabile", "Project manager", "Marketing specialist",
	"Responsabile qualità", "Operations manager", "Segretaria di direzione", "Buyer", "CFO" };
static const char *const ctypes[] = { "customer_contact", "customer_contact", "customer_contact",
	"partner_contact", "vendor_contact", "private_customer", "other" };
static const char *const cutypes[] = { "customer", "customer", "customer", "partner", "vendor", "other" };
static const char *const lead_status[] = { "new", "new", "contacted", "qualified", "lost" };
static const char *const lead_source[] = { "internet", "email", "business_card", "other" };
static const char *const sources[] = { "database", "database", "import", "import", "internet",
	"business_card", "email", "lead_conversion", "api", "other" };
static const char *const prefs[] = { "any", "any", "any", "any", "email", "mobile_phone", "work_phone" };
static const char *const fields_hist[] = { "job_title", "email", "mobile_phone", "work_phone", "language",
	"contact_type", "notes" };
static const char *const industries[] = { "manufacturing", "retail", "services", "public", "healthcare",
	"logistics", "software", "food" };
static const char *const notes_it[] = { "Preferisce essere contattato al mattino.",
	"Incontrato alla fiera di Bologna.", "Richiede sempre preventivo scritto.", "Cliente storico." };
static const char *const notes_en[] = { "Prefers calls after 2 pm.", "Met at the London trade fair.",
	"Asks for written quotes.", "Long-standing customer." };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(a) (a[rnd() % N_OF(a)])

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;

static unsigned rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 17);
}

/* 0 <= r < n, the first entries more often (the commonest surname of 100 gets about 3 %, the
 * biggest of 1,000 customers 0.5 %): n * u^1.3. */
static unsigned skew(unsigned n)
{
	double u = (rnd() % 1000000) / 1000000.0;
	return (unsigned)(n * pow(u, 1.3));
}

static int pct(unsigned p) { return rnd() % 100 < p; }

/* Writes s as a TSV field (\N for NULL); the data never holds tabs, newlines or backslashes. */
static void f(FILE *o, const char *s, int last)
{
	fputs(s ? s : "\\N", o);
	fputc(last ? '\n' : '\t', o);
}

static void fnum(FILE *o, long long v, int last)
{
	fprintf(o, "%lld%c", v, last ? '\n' : '\t');
}

/* A date-time between 2019-01-01 and 2024-12-31 (plus `after` seconds); out holds 20 bytes. */
static time_t when(char *out, time_t after)
{
	time_t t = after ? after + (time_t)(rnd() % (86400u * 400)) : 1546300800 + (time_t)(rnd() % (86400u * 2190));
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
	return t;
}

/* ASCII-folds a name for a mailbox: "Niccolò D'Angelo" -> "niccolo", "dangelo". */
static void fold(char *out, size_t sz, const char *s)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 1 < sz; p++) {
		if (*p >= 'A' && *p <= 'Z')
			out[o++] = (char)(*p + 32);
		else if (*p >= 'a' && *p <= 'z')
			out[o++] = (char)*p;
		else if (*p == 0xc3 && p[1]) {
			unsigned c = *++p;
			out[o++] = c >= 0xa8 && c <= 0xab ? 'e' : c >= 0xb2 && c <= 0xb6 ? 'o' : c >= 0xb9 && c <= 0xbc ? 'u' :
			    c >= 0xac && c <= 0xaf ? 'i' : c == 0xb1 ? 'n' : c == 0xa7 ? 'c' : 'a';
		} else if (*p >= 0x80) {
			while (p[1] >= 0x80 && (p[1] & 0xC0) == 0x80)
				p++;
		}
	}
	out[o] = '\0';
}

static void last_name(char *out, size_t sz, int it)
{
	const char *a = it ? it_last[skew(N_OF(it_last))] : en_last[skew(N_OF(en_last))];
	if (pct(6)) {
		/* double-barrelled: "Rossi Bianchi" (Italian double surname) or "Taylor-Brown" */
		const char *b = it ? PICK(it_last) : PICK(en_last);
		snprintf(out, sz, it ? "%s %s" : "%s-%s", a, b);
	} else {
		snprintf(out, sz, "%s", a);
	}
}

static void phone(char *out, size_t sz, char *norm, size_t nsz, int it, int mobile)
{
	if (mobile)
		snprintf(out, sz, it ? "+39 3%02u %03u %04u" : "+44 7%03u %03u %03u", rnd() % 100, rnd() % 1000, rnd() % 10000);
	else
		snprintf(out, sz, it ? "02 %04u %04u" : "+44 20 %04u %04u", rnd() % 10000, rnd() % 10000);
	if (phone_normalize(out, norm, nsz) != 0)
		norm[0] = '\0';
}

/* ---- name-search words: the rows modules/core/words.c writes (its own words_rows) ---- */

struct words_out {
	FILE     *o;
	int       kind;
	long long id;
};

static void word_row(const char *suffix, const char *names, void *ctx)
{
	struct words_out *w = ctx;
	/* the same suffix twice (lead "Rossi Rossi") is dropped by LOAD DATA IGNORE, as INSERT IGNORE does */
	fprintf(w->o, "%d\t%s\t%lld\t%s\n", w->kind, suffix, w->id, names);
}

static void words_out(FILE *o, int kind, long long id, const char *const *texts, size_t n)
{
	struct words_out w = { o, kind, id };
	words_rows(texts, n, word_row, &w);
}

static FILE *out_open(const char *dir, const char *name)
{
	char path[4096];
	FILE *o;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(o = fopen(path, "w"))) {
		perror(path);
		exit(1);
	}
	setvbuf(o, NULL, _IOFBF, 1 << 20);
	return o;
}

static void ids_arg(const char *s, long long *ids, int n)
{
	for (int i = 0; i < n; i++) {
		char *end;
		ids[i] = strtoll(s, &end, 10);
		if (end == s || (i + 1 < n && *end != ',')) {
			fprintf(stderr, "gen: expected %d comma-separated ids: %s\n", n, s);
			exit(2);
		}
		s = end + 1;
	}
}

int main(int argc, char **argv)
{
	long long n, ncu, nld, user = 1, fld[4] = { 0 }, cons[2] = { 0 };
	int custom = 0, consents = 0;
	const char *dir;
	char name[256], email[300], ph[40], norm[24], ph2[40], norm2[24], a[20], b[20], buf[300], buf2[300];
	FILE *o, *ow, *oh;
	long long hist_id = 0, conn_id = 0, ev_id = 0;

	if (argc < 5) {
		fprintf(stderr, "usage: gen DIR N CUSTOMERS LEADS [--user ID] [--fields I,V,E,S] [--consents A,B]\n");
		return 2;
	}
	dir = argv[1];
	n = atoll(argv[2]);
	ncu = atoll(argv[3]);
	nld = atoll(argv[4]);
	if (n < 1 || ncu < 1 || nld < 1) {
		fprintf(stderr, "gen: counts must be positive\n");
		return 2;
	}
	for (int i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "--user") && i + 1 < argc)
			user = atoll(argv[++i]);
		else if (!strcmp(argv[i], "--fields") && i + 1 < argc)
			ids_arg(argv[++i], fld, 4), custom = 1;
		else if (!strcmp(argv[i], "--consents") && i + 1 < argc)
			ids_arg(argv[++i], cons, 2), consents = 1;
		else {
			fprintf(stderr, "gen: unknown argument %s\n", argv[i]);
			return 2;
		}
	}

	/* customers: "Officine Rossi S.r.l.", "Northwind Taylor Ltd", "Rossi & Figli" */
	o = out_open(dir, "customers.tsv");
	ow = out_open(dir, "words.tsv");
	for (long long id = 1; id <= ncu; id++) {
		int it = id % 3 != 0;
		const char *base = PICK(companies), *who = it ? PICK(it_last) : PICK(en_last);
		char site[256], fb[100], fw[100];
		const char *texts[1] = { name };
		time_t t;
		if (pct(15))
			snprintf(name, sizeof name, "%s %s", who, company_suffix[rnd() % 5 + (it ? 0 : 5)]);
		else
			snprintf(name, sizeof name, "%s %s %s", base, who, company_suffix[rnd() % 5 + (it ? 0 : 5)]);
		fold(fb, sizeof fb, base);
		fold(fw, sizeof fw, who);
		snprintf(site, sizeof site, "%s-%s%lld.%s", fb, fw, id % 97, it ? "it" : "co.uk");
		phone(ph, sizeof ph, norm, sizeof norm, it, 0);
		fnum(o, id, 0);
		f(o, name, 0);
		f(o, PICK(cutypes), 0);
		snprintf(email, sizeof email, "info@%s", site);
		f(o, email, 0);
		f(o, ph, 0);
		f(o, norm, 0);
		snprintf(buf, sizeof buf, "https://www.%s", site);
		f(o, buf, 0);
		snprintf(buf2, sizeof buf2, it ? "IT%011u" : "GB%09u", rnd() % 1000000000u);
		f(o, buf2, 0);
		if (it)
			snprintf(buf, sizeof buf, "Via %s %u", PICK(it_last), rnd() % 200 + 1);
		else
			snprintf(buf, sizeof buf, "%u %s Street", rnd() % 200 + 1, PICK(en_last));
		f(o, buf, 0);
		f(o, it ? PICK(cities_it) : PICK(cities_en), 0);
		if (it)
			snprintf(buf2, sizeof buf2, "%05u", rnd() % 90000 + 10000);
		else
			snprintf(buf2, sizeof buf2, "SW%u %uAB", rnd() % 20 + 1, rnd() % 10);
		f(o, buf2, 0);
		f(o, it ? "Italia" : "United Kingdom", 0);
		f(o, pct(97) ? "1" : "0", 0);
		fnum(o, user, 0);
		t = when(a, 0);
		f(o, a, 0);
		when(b, t);
		f(o, b, 1);
		words_out(ow, 1, id, texts, 1);
	}
	fclose(o);

	o = out_open(dir, "leads.tsv");
	for (long long id = 1; id <= nld; id++) {
		int it = id % 2 == 0;
		const char *fn = it ? PICK(it_first) : PICK(en_first);
		char ln[120], full[300], ff[100], fl[100];
		const char *texts[2] = { full, name };
		time_t t;
		last_name(ln, sizeof ln, it);
		snprintf(name, sizeof name, "%s %s %s", PICK(companies), it ? PICK(it_last) : PICK(en_last),
		    company_suffix[rnd() % 5 + (it ? 0 : 5)]);
		snprintf(full, sizeof full, "%s %s", fn, ln);
		fold(ff, sizeof ff, fn);
		fold(fl, sizeof fl, ln);
		snprintf(email, sizeof email, "%s.%s%u@%s", ff, fl, rnd() % 100, it ? PICK(mail_it) : PICK(mail_en));
		phone(ph, sizeof ph, norm, sizeof norm, it, 1);
		fnum(o, id, 0);
		f(o, fn, 0);
		f(o, ln, 0);
		f(o, name, 0);
		f(o, email, 0);
		f(o, ph, 0);
		f(o, norm, 0);
		f(o, it ? "it" : "en", 0);
		f(o, PICK(lead_source), 0);
		f(o, PICK(lead_status), 0);
		fnum(o, user, 0);
		t = when(a, 0);
		f(o, a, 0);
		when(b, t);
		f(o, b, 1);
		words_out(ow, 2, id, texts, 2);
	}
	fclose(o);
	fclose(ow);

	o = out_open(dir, "contacts.tsv");
	FILE *oc = out_open(dir, "connections.tsv"), *ocm = out_open(dir, "comments.tsv");
	FILE *ocu = custom ? out_open(dir, "contact_custom.tsv") : NULL;
	FILE *ocs = consents ? out_open(dir, "contact_consents.tsv") : NULL;
	FILE *oev = consents ? out_open(dir, "consent_events.tsv") : NULL;
	oh = out_open(dir, "history.tsv");
	for (long long id = 1; id <= n; id++) {
		int it = rnd() % 100 < 60, connected = pct(60), has_mail = pct(88), has_mobile = pct(85),
		    has_work = pct(45), deleted = rnd() % 1000 < 3, active = pct(95), dne = pct(5);
		const char *fn = it ? it_first[skew(N_OF(it_first))] : en_first[skew(N_OF(en_first))];
		char ln[120], ff[100], fl[100], bday[11];
		int complete;
		time_t t;

		last_name(ln, sizeof ln, it);
		fold(ff, sizeof ff, fn);
		fold(fl, sizeof fl, ln);
		snprintf(email, sizeof email, "%s.%s%u@%s", ff, fl, rnd() % 1000, it ? PICK(mail_it) : PICK(mail_en));
		phone(ph, sizeof ph, norm, sizeof norm, it, 1);
		phone(ph2, sizeof ph2, norm2, sizeof norm2, it, 0);
		snprintf(bday, sizeof bday, "%04u-%02u-%02u", 1950 + rnd() % 55, 1 + rnd() % 12, 1 + rnd() % 28);
		complete = has_mail || has_mobile || has_work;
		fnum(o, id, 0);
		f(o, fn, 0);
		f(o, pct(8) ? (it ? PICK(it_first) : PICK(en_first)) : "", 0);	/* middle name */
		f(o, ln, 0);
		f(o, pct(60) ? bday : NULL, 0);
		f(o, PICK(ctypes), 0);
		if (id > 100 && pct(5))
			fnum(o, 1 + (long long)(rnd() % (unsigned)(id - 1)), 0);	/* reports to an older contact: no cycle */
		else
			f(o, NULL, 0);
		f(o, pct(70) ? PICK(jobs) : NULL, 0);
		f(o, it ? "Europe/Rome" : (pct(85) ? "Europe/London" : "Europe/Dublin"), 0);
		f(o, it ? "it" : "en", 0);
		f(o, has_mobile ? ph : NULL, 0);
		f(o, has_mobile ? norm : NULL, 0);
		f(o, has_work ? ph2 : NULL, 0);
		f(o, has_work ? norm2 : NULL, 0);
		f(o, has_mail ? email : NULL, 0);
		if (has_mail && pct(4)) {
			snprintf(buf, sizeof buf, "%s@%s", fl, it ? "pec.it" : "work.example.co.uk");
			f(o, buf, 0);
		} else {
			f(o, NULL, 0);
		}
		f(o, PICK(prefs), 0);
		f(o, pct(8) ? "1" : "0", 0);
		f(o, dne ? "1" : "0", 0);
		f(o, pct(3) ? "1" : "0", 0);
		f(o, has_mail && !dne ? "1" : "0", 0);
		f(o, PICK(sources), 0);
		f(o, pct(10) ? (it ? PICK(notes_it) : PICK(notes_en)) : NULL, 0);
		f(o, active ? "1" : "0", 0);
		f(o, complete && connected ? "contact" : "draft", 0);
		fnum(o, user, 0);
		t = when(a, 0);
		f(o, a, 0);
		fnum(o, user, 0);
		when(b, t);
		f(o, b, 0);
		fnum(o, user, 0);
		f(o, "1", 0);
		f(o, deleted ? b : NULL, 0);
		if (deleted)
			fnum(o, user, 1);
		else
			f(o, NULL, 1);

		/* history: the creation, and for some contacts a few later field changes */
		fprintf(oh, "%lld\tcontact\t%lld\t%s.000\t%lld\tbench\tcreate\t\\N\t\\N\t\\N\n", ++hist_id, id, a, user);
		if (pct(30))
			for (unsigned k = rnd() % 3 + 1; k > 0; k--)
				fprintf(oh, "%lld\tcontact\t%lld\t%s.000\t%lld\tbench\tupdate\t%s\t\\N\t%s\n", ++hist_id, id, b,
				    user, PICK(fields_hist), PICK(jobs));
		if (pct(10))
			fprintf(ocm, "%lld\t%lld\tbench\t%s\t%s.000\n", id, user, it ? "Richiamare la prossima settimana." :
			    "Call back next week.", b);

		if (connected) {
			/* a tenth go to the 1,000 biggest customers; a fifth of links are to leads */
			long long cu = pct(10) ? 1 + (long long)skew(1000 < ncu ? 1000 : (unsigned)ncu) :
			    1 + (long long)(rnd() % (unsigned long long)ncu);
			if (pct(80))
				fprintf(oc, "%lld\t%lld\t%lld\t\\N\t1\t%s\n", ++conn_id, id, cu, a);
			else
				fprintf(oc, "%lld\t%lld\t\\N\t%lld\t1\t%s\n", ++conn_id, id, 1 + (long long)(rnd() % (unsigned long long)nld), a);
			if (pct(15) && ncu > 1)	/* a second, non-primary link to another customer */
				fprintf(oc, "%lld\t%lld\t%lld\t\\N\t\\N\t%s\n", ++conn_id, id, cu % ncu + 1, b);
		}
		if (ocu) {
			if (pct(40))
				fprintf(ocu, "%lld\t%lld\t%s\t\\N\t\\N\t\\N\n", id, fld[0], PICK(industries));
			if (pct(5))
				fprintf(ocu, "%lld\t%lld\t1\t\\N\t\\N\t\\N\n", id, fld[1]);
			if (pct(20)) {
				unsigned e = 1 + skew(5000);
				fprintf(ocu, "%lld\t%lld\t%u\t%u\t\\N\t\\N\n", id, fld[2], e, e);
			}
			if (pct(20)) {
				char d[11];
				snprintf(d, sizeof d, "%04u-%02u-%02u", 2000 + rnd() % 24, 1 + rnd() % 12, 1 + rnd() % 28);
				fprintf(ocu, "%lld\t%lld\t%s\t\\N\t%s\t\\N\n", id, fld[3], d, d);
			}
		}
		if (ocs) {
			for (int c = 0; c < 2; c++) {
				int withdrawn;
				if (!pct(c == 0 ? 50 : 20))
					continue;
				withdrawn = pct(6);
				fprintf(ocs, "%lld\t%lld\t%d\t1\t%s.000\n", id, cons[c], !withdrawn, withdrawn ? b : a);
				fprintf(oev, "%lld\t%lld\t%lld\t1\t1\t%s.000\t%lld\t\\N\tbench\t%s\n", ++ev_id, id, cons[c], a, user,
				    pct(70) ? "form" : "import");
				if (withdrawn)
					fprintf(oev, "%lld\t%lld\t%lld\t0\t1\t%s.000\t%lld\t\\N\tbench\tform\n", ++ev_id, id, cons[c], b, user);
			}
		}
	}
	fclose(o);
	fclose(oc);
	fclose(ocm);
	fclose(oh);
	if (ocu)
		fclose(ocu);
	if (ocs) {
		fclose(ocs);
		fclose(oev);
	}
	printf("gen: %lld contacts, %lld customers, %lld leads, %lld connections, %lld history rows%s%s\n",
	    n, ncu, nld, conn_id, hist_id, custom ? ", custom values" : "", consents ? ", consents" : "");
	return 0;
}
