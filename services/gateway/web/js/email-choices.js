// The person's email choice, as Settings and the page behind our emails' links show it: one
// setting (the email frequency of the profile), each option saying what it sends and what it stops.

import { t } from './i18n.js';

const EMAILS = ['EMAIL_MAXIMUM', 'EMAIL_ONCE_A_MONTH', 'EMAIL_NONE'];
// "No emails" is what a one-click unsubscribe chooses; choosing another frequency starts the emails again.
const NO_EMAIL = 'EMAIL_NONE';

/** Return the email options for a role: job seekers choose how much advice, volunteers only yes or no. */
export function emailOptions(isSeeker) {
  if (!isSeeker) {
    return [
      { value: 'EMAIL_ONCE_A_MONTH', label: t('enum.email-choice-volunteer.EMAIL_ONCE_A_MONTH'), hint: t('email-choice.volunteer-also') },
      { value: NO_EMAIL, label: t('enum.email-choice.EMAIL_NONE'), hint: t('email-choice.volunteer-none') },
    ];
  }
  return EMAILS.map((v) => ({ value: v, label: t(`enum.email-choice.${v}`), hint: t(v === NO_EMAIL ? 'email-choice.none' : 'email-choice.also') }));
}

/** Return the value shown for a stored frequency (a volunteer's "once a month" and "maximum" are both "yes"). */
export function shownEmailChoice(frequency, isSeeker) {
  if (isSeeker || frequency === NO_EMAIL) return frequency;
  return 'EMAIL_ONCE_A_MONTH';
}

/** Return the sentence that confirms a change of email frequency: stopped, started again, or saved. */
export function emailChangeText(before, after, isSeeker) {
  if (after === NO_EMAIL && before !== NO_EMAIL) return t('settings.emails-stopped');
  if (before === NO_EMAIL && after !== NO_EMAIL) return t(isSeeker ? `settings.emails-resumed.${after}` : 'settings.emails-resumed.volunteer');
  return t('settings.saved');
}
