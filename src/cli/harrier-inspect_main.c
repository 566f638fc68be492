/* harrier-inspect: the sysdig-compatible capture inspector (placeholder loop). */
#include <stdio.h>
#include <stdlib.h>

#include "capture/scap_reader.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: harrier-inspect -r FILE\n");
		return 2;
	}
	char err[512];
	struct hr_reader *r = hr_reader_open(argv[2], err, sizeof err);
	if (!r) {
		fprintf(stderr, "harrier-inspect: %s\n", err);
		return 1;
	}
	static struct hr_record rec;
	enum hr_record_kind k;
	unsigned long counts[16] = {0};
	while ((k = hr_reader_next(r, &rec)) != HR_REC_END && k != HR_REC_ERROR)
		counts[k]++;
	for (int i = 0; i < 16; i++)
		if (counts[i])
			printf("kind %d: %lu\n", i, counts[i]);
	if (k == HR_REC_ERROR) {
		fprintf(stderr, "harrier-inspect: %s: %s\n", argv[2], hr_reader_error(r));
		hr_reader_close(r);
		return 1;
	}
	hr_reader_close(r);
	return 0;
}
