/* `memstep course SIMULATOR [flags]`: the OSTEP homework simulators' own
 * command lines and output, run on memstep's textbook models. */
#ifndef COURSE_COURSE_H
#define COURSE_COURSE_H

int course_main(int argc, char **argv);

#endif
