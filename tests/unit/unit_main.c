/* Unit test driver (tests are added by the modules' own test files): each
 * module's entry point adds its counts; the last line is the summary. */
#include <stdio.h>

void unit_format_args(unsigned *passed, unsigned *failed);
void unit_fields(unsigned *passed, unsigned *failed);
void unit_state(unsigned *passed, unsigned *failed);
void unit_filter(unsigned *passed, unsigned *failed);
void unit_rules(unsigned *passed, unsigned *failed);
void unit_live(unsigned *passed, unsigned *failed);
void unit_containers(unsigned *passed, unsigned *failed);
void unit_writer(unsigned *passed, unsigned *failed);
void unit_container_users(unsigned *passed, unsigned *failed);

int main(void)
{
	unsigned passed = 0, failed = 0;
	unit_format_args(&passed, &failed);
	unit_fields(&passed, &failed);
	unit_state(&passed, &failed);
	unit_filter(&passed, &failed);
	unit_rules(&passed, &failed);
	unit_live(&passed, &failed);
	unit_containers(&passed, &failed);
	unit_writer(&passed, &failed);
	unit_container_users(&passed, &failed);
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
