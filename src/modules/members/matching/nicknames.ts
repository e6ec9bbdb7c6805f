/**
 * Common English given-name short forms: a member who signs up in store as "Bill" and online as
 * "William" is one person even though the two spellings share little. Each line is a name and
 * the short forms people use for it.
 */
const table = `
abigail abby abbie gail
alexander alex alec sandy xander
alexandra alex lexi sandra sandy
alfred alf alfie fred
andrew andy drew
anthony tony ant
barbara barb babs
benjamin ben benny benji
catherine cath cathy kate katie cat
charles charlie chas chuck
charlotte lottie charlie
christine chris chrissie tina
christopher chris kit topher
daniel dan danny
david dave davy
deborah deb debbie
dorothy dot dottie
edward ed eddie ted teddy ned
eleanor ellie nell nora
elizabeth liz lizzie beth betty eliza libby
emily em emmy
florence flo florrie
frances fran fanny
francis frank fran
frederick fred freddie
gregory greg
harold harry hal
harriet hattie
henry harry hal hank
isabel izzy bella
isabella izzy bella
jacob jake
james jim jimmy jamie
jennifer jen jenny
jessica jess jessie
john jack johnny jon
jonathan jon jonny nathan
joseph joe joey
joshua josh
katherine kate kath kathy katie kat
kenneth ken kenny
lawrence larry laurie
leonard len lenny leo
margaret maggie meg peggy marge
matilda tilly tilda
matthew matt
michael mike mick mickey
nathaniel nat nathan
nicholas nick nicky
patricia pat patty trish
patrick pat paddy
peter pete
philip phil pip
rebecca becky becca
richard rich rick ricky dick
robert rob robbie bob bobby bert
ronald ron ronnie
samantha sam sammy
samuel sam sammy
stephen steve stevie
steven steve stevie
susan sue susie
theodore theo ted teddy
thomas tom tommy
timothy tim timmy
victoria vicky tori
william will bill billy liam willy
`

const related = new Map<string, Set<string>>()
for (const line of table.trim().split('\n')) {
  const [full, ...short] = line.split(' ')
  for (const s of short) {
    related.set(full, (related.get(full) ?? new Set()).add(s))
    related.set(s, (related.get(s) ?? new Set()).add(full))
  }
}

/** True when one name is a usual short form of the other ("bill" and "william"). */
export const isNickname = (a: string, b: string): boolean => related.get(a)?.has(b) ?? false
