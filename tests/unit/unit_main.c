/* Unit test driver (tests are added by the modules' own test files). */
#include <stdio.h>
int main(void)
{
	printf("0 passed, 0 failed\n");
	return 0;
}
