/**
 * Appointments at the signing clinic (issue 6): what the handler, the scheduled jobs, the seed
 * and the benchmark call. Residents' booking: ./booking.ts; the clinic (rota, day list,
 * attendance, reminders): ./clinic.ts; response views: ./views.ts.
 */
export { book, cancelByResident, eligibility, myAppointments, slotsFor } from './booking';
export { inboxOnly, loadForStaff, markAttendance, publishRota, reconcileTeam, runDailySlots, runReminders, teamDay, type ReminderChannel } from './clinic';
export { appointmentView, rotaView, slotView } from './views';
